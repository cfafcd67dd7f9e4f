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
from tests.matrix_world import build

EXAMPLES_PER_OPERATION = 20
# The scanner's operations: a scanner link is what volunteers' phones send.
SCANNER_PATHS = ("/checkins", "/checkpoints/", "/scanner")
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
TALLY = Counter()


@pytest.fixture(autouse=True)
def _clean_database():
    """One data set for the module (see `fuzz_world`): tests here do not empty tables."""
    yield


@pytest.fixture(scope="module")
def fuzz_world(app):
    from tests.conftest import truncate_all

    truncate_all(app)
    yield build(app)
    truncate_all(app)
    from app.extensions import limiter

    limiter.reset()  # the requests here count against limits (verify, login) that later tests rely on


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
def test_api_answers_as_documented(case, app, fuzz_world):
    path = case.operation.path
    actor = fuzz_world.actors["scanner" if path.startswith(SCANNER_PATHS) else "admin"]
    case.headers = dict(case.headers or {}, Authorization=f"Bearer {actor.bearer}")
    TALLY["requests"] += 1
    response = case.call(app=app)
    if response.status_code >= 500:
        TALLY["5xx"] += 1
        known = _finding_8(case)
        if known:
            body = case.body if isinstance(case.body, (dict, list)) else ""
            FINDING_8.append(f"{response.status_code} {case.method} {case.formatted_path} "
                             f"{case.query or ''} {body}: {known}")
            return
    case.validate_response(response, checks=CHECKS)


# -- finding 8 (bad input gives 500), fixed on another branch ------------------------------
# Until that branch is merged, the fuzz sets aside 5xx answers to exactly the inputs finding 8
# describes and reports them in test_known_finding_8_cases (a temporary xfail); any other 5xx fails.
INT32 = 2**31
FINDING_8: list[str] = []


def _huge(value) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, int):
        return not -INT32 <= value < INT32
    if isinstance(value, str) and value.lstrip("-").isdigit():
        return not -INT32 <= int(value) < INT32
    if isinstance(value, (list, tuple)):
        return any(_huge(v) for v in value)
    if isinstance(value, dict):
        return any(_huge(v) for v in value.values())
    return False


def _nul(value) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, (list, tuple)):
        return any(_nul(v) for v in value)
    if isinstance(value, dict):
        return any(_nul(k) or _nul(v) for k, v in value.items())
    return False


JSON_TYPES = {"string": str, "integer": int, "number": (int, float), "boolean": bool, "array": list,
              "object": dict, "null": type(None)}


def _wrong_type(case) -> list[str]:
    """Top-level body fields whose JSON type is not the one the schema declares."""
    body = case.body if isinstance(case.body, dict) else {}
    media = case.operation.definition.raw.get("requestBody", {}).get("content", {}).get("application/json", {})
    declared = media.get("schema", {})
    if "$ref" in declared:
        declared = openapi_document()["components"]["schemas"][declared["$ref"].rsplit("/", 1)[1]]
    wrong = []
    for name, value in body.items():
        types = declared.get("properties", {}).get(name, {}).get("type")
        if types is None:
            continue
        types = [types] if isinstance(types, str) else types
        ok = any(isinstance(value, JSON_TYPES[t]) and not (t in ("integer", "number") and isinstance(value, bool))
                 for t in types)
        if not ok:
            wrong.append(name)
    return wrong


def _finding_8(case) -> str:
    parts = [case.path_parameters, case.query, case.body]
    if any(_huge(p) for p in parts if p):
        return "an id or number beyond 32 bits"
    if any(_nul(p) for p in parts if p):
        return "a NUL byte in text"
    wrong = _wrong_type(case)
    return f"wrong JSON type for {wrong}" if wrong else ""


@pytest.mark.xfail(strict=False, reason="finding 8, fixed on branch input")
def test_known_finding_8_cases():
    assert not FINDING_8, "5xx on bad input (finding 8):\n" + "\n".join(FINDING_8)


def test_fuzz_summary(capsys):
    with capsys.disabled():
        print(f"\napi fuzz: {TALLY['requests']} requests, {TALLY['5xx']} answered 5xx "
              f"({len(FINDING_8)} of them finding 8's known bad input)")
