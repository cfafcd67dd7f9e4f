"""The OpenAPI paths and schemas of app/api/pitch.py (pitch competitions: rounds, scores, results),
merged into the document by app/api/openapi.py."""
from __future__ import annotations

ERROR = {"$ref": "#/components/schemas/Error"}
BEARER = [{"bearer": []}]
PITCH_ID = {"name": "pitch_id", "in": "path", "required": True, "schema": {"type": "integer"}}
ROUND_ID = {"name": "round_id", "in": "path", "required": True, "schema": {"type": "integer"}}


def _json(schema, description="OK"):
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _err(description):
    return _json(ERROR, description)


SCHEMAS = {
    "PitchRound": {"type": "object", "required": ["id", "position", "name", "kind", "status", "criteria"],
                   "properties": {
                       "id": {"type": "integer"}, "position": {"type": "integer"}, "name": {"type": "string"},
                       "kind": {"type": "string", "enum": ["online_review", "roadshow", "final"]},
                       "status": {"type": "string", "enum": ["pending", "open", "closed"]},
                       "rule": {"type": ["string", "null"], "enum": ["top_n", "threshold", None]},
                       "advance_count": {"type": ["integer", "null"]},
                       "threshold": {"type": ["string", "null"], "description": "Of 100, two decimals"},
                       "tie_break_criterion": {"type": ["integer", "null"],
                                               "description": "Equal scores at a top-N cut: the higher "
                                                              "average on this criterion goes first"},
                       "unbroken_tie": {"type": "string", "enum": ["all_advance", "none_advance"],
                                        "description": "A tie still standing across the cut"},
                       "criteria": {"type": "array", "items": {"type": "object", "properties": {
                           "id": {"type": "integer"}, "name": {"type": "string"}, "weight": {"type": "integer"},
                           "max_score": {"type": "integer"}}}}}},
    "PitchScore": {"type": "object", "properties": {
        "entry": {"type": "integer"}, "criterion": {"type": "integer"}, "judge": {"type": "integer"},
        "value": {"type": "string"}, "comment": {"type": "string"}}},
    "PitchScreen": {"type": "object", "required": ["released", "rows"], "properties": {
        "competition": {"type": "string"}, "released": {"type": "boolean"},
        "round": {"type": ["string", "null"]}, "round_status": {"type": ["string", "null"]},
        "rows": {"type": "array", "items": {"type": "object", "properties": {
            "rank": {"type": "integer"}, "code": {"type": "string", "description": "The entry's number"},
            "total": {"type": "string"},
            "project": {"type": ["string", "null"], "description": "Only once the results are released"},
            "company": {"type": ["string", "null"]},
            "awards": {"type": ["array", "null"], "items": {"type": "string"}}}}}}},
}

PATHS = {
    "/pitch/{pitch_id}/rounds": {"get": {
        "summary": "A pitch competition's rounds: rubric, judges' rule for advancing, status (its organisers "
                   "and its judges)", "security": BEARER, "parameters": [PITCH_ID],
        "responses": {"200": _json({"type": "object", "required": ["items"], "properties": {
            "competition": {"type": "object"},
            "items": {"type": "array", "items": {"$ref": "#/components/schemas/PitchRound"}}}}),
            "401": _err("No or bad token"), "403": _err("Neither an organiser nor a judge of it"),
            "404": _err("No such pitch competition")}}},
    "/pitch/rounds/{round_id}/scores": {"get": {
        "summary": "A round's scores: a judge's own; every entry's sheet (total, complete, confirmed, flagged "
                   "criteria, scores) for its organisers", "security": BEARER, "parameters": [ROUND_ID],
        "responses": {"200": _json({"type": "object", "required": ["items"], "properties": {
            "round": {"type": "integer"}, "items": {"type": "array", "items": {"type": "object"}}}}),
            "401": _err("No or bad token"), "403": _err("Neither an organiser nor a judge of the round"),
            "404": _err("No such round")}}},
    "/pitch/{pitch_id}/results": {"get": {
        "summary": "The final's ranking and awards: public once the organiser released them (projects and "
                   "companies shown then); before, its organisers (token) see the live ranking by number",
        "parameters": [PITCH_ID],
        "responses": {"200": _json({"$ref": "#/components/schemas/PitchScreen"}),
                      "404": _err("No such pitch competition (or a draft)"),
                      "409": _err("Not released yet (code not_released)")}}},
}
