"""API fuzz: schemathesis generates requests from /api/v1/openapi.json and sends them to the app
in-process (WSGI, no server), authenticated with a real API token (an admin's, so every branch is
reachable) and, for the check-in operations, a volunteer scanner link.

Asserted for every answer: no 5xx, the status is one the operation documents, and the body
matches the documented schema. Bounded and reproducible: a fixed number of examples per
operation, derandomized, no example database.
"""
from __future__ import annotations

from collections import Counter

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from app.api.openapi import build as openapi_document

EXAMPLES_PER_OPERATION = 20
# The scanner's operations: a scanner link is what volunteers' phones send.
SCANNER_PATHS = ("/checkins", "/checkpoints/", "/scanner")
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
TALLY = Counter()
# One world for the module (tests/fixtures/world.py): tables are not emptied after each test.
pytestmark = pytest.mark.module_world


# The document /api/v1/openapi.json serves (test_the_served_document_is_the_one_fuzzed checks that).
# It is loaded when the module is imported, since schemathesis' fixture-based loader does not
# work with pytest 9 (it reads `Function._nodeid`, which pytest 9 no longer has).
schema = schemathesis.openapi.from_dict(dict(openapi_document(), servers=[{"url": "http://localhost/api/v1"}]))


def test_the_served_document_is_the_one_fuzzed(client):
    served = client.get("/api/v1/openapi.json").get_json()
    assert served.pop("servers") == [{"url": "http://localhost/api/v1"}]
    assert served == openapi_document()


@schema.parametrize()
@settings(max_examples=EXAMPLES_PER_OPERATION, derandomize=True, database=None, deadline=None,
          suppress_health_check=list(HealthCheck), print_blob=True)
def test_api_answers_as_documented(case, app, matrix_world):
    path = case.operation.path
    actor = matrix_world.actors["scanner" if path.startswith(SCANNER_PATHS) else "admin"]
    case.headers = dict(case.headers or {}, Authorization=f"Bearer {actor.bearer}")
    TALLY["requests"] += 1
    response = case.call(app=app)
    if response.status_code >= 500:
        TALLY["5xx"] += 1
    case.validate_response(response, checks=CHECKS)


def test_fuzz_summary(capsys):
    with capsys.disabled():
        print(f"\napi fuzz: {TALLY['requests']} requests, {TALLY['5xx']} answered 5xx")
