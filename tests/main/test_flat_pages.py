"""The home page issues as many statements with 200 upcoming events as with 10 (issue 19)."""
from __future__ import annotations

from tests.fixtures.list_rows import events


def test_home(client, departments, flat_in_rows):
    flat_in_rows(client, "/", add=lambda n: events(n, departments["talent_center"]))
