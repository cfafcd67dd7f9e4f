"""The job fairs part of the OpenAPI document (app/api/openapi.py adds it)."""
from __future__ import annotations

ID = {"type": "integer"}
TEXT = {"type": "string"}
MONEY = {"type": ["integer", "null"], "description": "Yuan a month"}
EDUCATION = {"type": "string", "enum": ["any", "secondary", "vocational", "associate", "bachelor", "master",
                                        "doctorate"]}
OUTCOME = {"type": "string", "enum": ["none", "interviewed", "offer", "hired", "not_suitable"]}


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


SCHEMAS = {
    "FairPosition": {"type": "object", "required": ["id", "title", "openings"], "properties": {
        "id": ID, "title": TEXT, "openings": ID, "education": EDUCATION, "major": TEXT, "salary_min": MONEY,
        "salary_max": MONEY, "location": TEXT}},
    "FairEmployer": {"type": "object", "required": ["id", "booth", "organisation", "positions"], "properties": {
        "id": ID, "booth": TEXT, "organisation": {"type": "object", "properties": {"id": ID, "name": TEXT}},
        "positions": {"type": "array", "items": _ref("FairPosition")}}},
    "FairCandidate": {"type": "object", "required": ["id", "name", "outcome"], "properties": {
        "id": ID, "event_id": ID, "booth": TEXT, "organisation_id": ID, "name": TEXT,
        "mobile": {"type": "string", "description": "In full only when the candidate's consent includes it, "
                                                    "else masked (138****5678)"},
        "education": TEXT, "school": TEXT, "major": TEXT,
        "positions": {"type": "array", "items": ID, "description": "Ids of the positions chosen"},
        "has_cv": {"type": "boolean"}, "shared_at": {"type": "string", "format": "date-time"},
        "outcome": OUTCOME}},
}


def paths(json, err, bearer, paged, page_params) -> dict:
    """`json(schema, description)`, `err(description)`, `bearer`, `paged(item_ref)` and
    `page_params` come from openapi.py."""
    return {
        "/jobfairs/{id}/positions": {"get": {
            "summary": "A published job fair's employers (booths) and their positions; no token",
            "parameters": [{"name": "id", "in": "path", "required": True, "schema": ID,
                            "description": "The fair's event id"}],
            "responses": {"200": json({"type": "object", "required": ["items"], "properties": {
                "event_id": ID, "title": TEXT, "kind": {"type": "string", "enum": ["job_fair", "campus_recruiting"]},
                "items": {"type": "array", "items": _ref("FairEmployer")}}}),
                "404": err("No such published job fair")}}},
        "/employer/interests": {"get": {
            "summary": "Candidates at the booths of the employers the token's user is a contact of, only while "
                       "their consent stands (empty for anybody else); audited when a full mobile is shown",
            "security": bearer, "parameters": page_params,
            "responses": {"200": json(paged("#/components/schemas/FairCandidate"))}}},
        "/employer/interests/{interest_id}/outcome": {"post": {
            "summary": "Mark a candidate: interviewed, offer, hired or not_suitable (the moves the transition "
                       "table allows; each recorded)", "security": bearer,
            "parameters": [{"name": "interest_id", "in": "path", "required": True, "schema": ID}],
            "requestBody": {"required": True, "content": {"application/json": {"schema": {
                "type": "object", "required": ["outcome"], "properties": {
                    "outcome": {"type": "string", "enum": ["interviewed", "offer", "hired", "not_suitable"]},
                    "note": {"type": "string", "maxLength": 300}}}}}},
            "responses": {"200": json(_ref("FairCandidate")),
                          "404": err("No such candidate (not yours, or the consent was withdrawn)"),
                          "409": err("A move the table does not allow (code bad_transition)"),
                          "422": err("Unknown outcome")}}},
    }
