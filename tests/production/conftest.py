"""The production test (`make test-production`) is not part of `make test`: it installs nothing, but
it starts a whole installation and loads it for a minute. It is collected only when
MINHANG_PRODUCTION_TEST=1 (the make target sets it)."""
import os

import pytest

if os.environ.get("MINHANG_PRODUCTION_TEST") != "1":
    collect_ignore_glob = ["test_*.py"]


@pytest.fixture(autouse=True)
def _clean_database():
    """The suite's own database and app are not used here: the test runs its own cluster."""
    yield
