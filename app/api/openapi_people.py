"""The OpenAPI path and schemas of app/api/people.py (a person's talent record), merged into the
document by app/api/openapi.py."""
from __future__ import annotations

ERROR = {"$ref": "#/components/schemas/Error"}
BEARER = [{"bearer": []}]


def _json(schema, description="OK"):
    return {"description": description, "content": {"application/json": {"schema": schema}}}


SCHEMAS = {
    "RecordFigure": {"type": "object", "required": ["code", "label", "text"], "properties": {
        "code": {"type": "string", "description": "attendance, minutes_online, score, rank, total, award, ..."},
        "label": {"type": "string"}, "text": {"type": "string"},
        "done": {"type": ["integer", "null"]}, "total": {"type": ["integer", "null"]},
        "value": {"type": ["number", "null"]}}},
    "RecordItem": {"type": "object", "required": ["key", "when", "kind", "title", "status"], "properties": {
        "key": {"type": "string"}, "when": {"type": "string", "format": "date"},
        "kind": {"type": "string", "enum": ["event", "online_event", "camp_application", "camp", "competition", "pitch",
                                           "studio", "traineeship", "mentoring", "certificate"]},
        "kind_label": {"type": "string"}, "programme": {"type": "string"}, "title": {"type": "string"},
        "status": {"type": "string"}, "status_label": {"type": "string"},
        "department_id": {"type": ["integer", "null"]},
        "figures": {"type": "array", "items": {"$ref": "#/components/schemas/RecordFigure"}},
        "link": {"type": ["string", "null"]}, "verify_link": {"type": ["string", "null"]},
        "attended": {"type": "boolean"}, "sessions_done": {"type": "integer"}, "sessions_total": {"type": "integer"}}},
    "TalentRecord": {"type": "object", "required": ["schema", "version", "person", "summary", "items"], "properties": {
        "schema": {"type": "string", "enum": ["minhang.talent-record"]}, "version": {"type": "integer"},
        "generated_at": {"type": "string", "format": "date-time"},
        "person": {"type": "object", "properties": {
            "id": {"type": "integer"}, "name": {"type": "string"}, "mobile_masked": {"type": "string"},
            "id_number_masked": {"type": "string"}, "email_masked": {"type": "string"}}},
        "summary": {"type": "object", "properties": {
            "events_attended": {"type": "integer"}, "sessions_attended": {"type": "integer"},
            "sessions_held": {"type": "integer"}, "attendance_percent": {"type": ["integer", "null"]},
            "programmes": {"type": "integer"}, "certificates": {"type": "integer"}}},
        "items": {"type": "array", "items": {"$ref": "#/components/schemas/RecordItem"}}}},
}

PATHS = {
    "/people/{user_id}/record": {"get": {
        "summary": "A person's talent record (administrators: all of it; organisers: the items of their "
                   "departments, and 404 for a person with none); contact details masked; audited",
        "security": BEARER,
        "parameters": [{"name": "user_id", "in": "path", "required": True, "schema": {"type": "integer"}}],
        "responses": {"200": _json({"$ref": "#/components/schemas/TalentRecord"}),
                      "401": _json(ERROR, "No or bad token"), "403": _json(ERROR, "Not staff"),
                      "404": _json(ERROR, "No such person (in the token user's scope)")}}},
}
