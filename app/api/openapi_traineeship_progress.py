"""The OpenAPI paths of app/api/traineeship_progress.py (the host portal's actions during a placement and
the bureau's reads), merged into the document by app/api/openapi.py."""
from __future__ import annotations

ERROR = {"$ref": "#/components/schemas/Error"}
BEARER = [{"bearer": []}]
PLACEMENT_ID = {"name": "placement_id", "in": "path", "required": True, "schema": {"type": "integer"}}
BATCH_ID = {"name": "batch_id", "in": "path", "required": True, "schema": {"type": "integer"}}
HOST = {"type": "object", "properties": {"id": {"type": "integer"}, "name": {"type": "string"}}}


def _json(schema, description="OK"):
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _err(description):
    return _json(ERROR, description)


def _body(required: list[str], properties: dict) -> dict:
    return {"required": True, "content": {"application/json": {"schema": {
        "type": "object", "required": required, "properties": properties}}}}


NOT_HOST = "Not a contact of the placement's host company"

PROGRESS_PATHS = {
    "/host/placements/{placement_id}/months": {"post": {
        "summary": "Confirm (or correct) a month's attendance of a trainee (a contact of the host). Due by the "
                   "5th of the next month (Asia/Shanghai); present + absent days within the month's working days",
        "security": BEARER, "parameters": [PLACEMENT_ID],
        "requestBody": _body(["month", "present_days"], {
            "month": {"type": "string", "example": "2026-07"},
            "present_days": {"type": "integer", "minimum": 0, "maximum": 31},
            "absent_days": {"type": "integer", "minimum": 0, "maximum": 31},
            "note": {"type": "string", "maxLength": 300}}),
        "responses": {"200": _json({"type": "object", "properties": {
            "placement": {"type": "integer"}, "month": {"type": "string"}, "present_days": {"type": "integer"},
            "absent_days": {"type": "integer"}, "note": {"type": "string"}}}),
            "403": _err(NOT_HOST), "409": _err("Placement not confirmed or completed (code not_attending)"),
            "422": _err("A month outside the placement or not over; days out of range")}}},
    "/host/placements/{placement_id}/evaluations": {"post": {
        "summary": "The host's mid-term or final evaluation on the batch's rubric: every criterion, 0 to its "
                   "maximum; once per stage, the mid-term first", "security": BEARER, "parameters": [PLACEMENT_ID],
        "requestBody": _body(["stage", "scores"], {
            "stage": {"type": "string", "enum": ["mid", "final"]},
            "scores": {"type": "object", "additionalProperties": {"type": "integer"},
                       "example": {"discipline": 25, "skills": 20, "attitude": 18, "teamwork": 22}},
            "comment": {"type": "string", "maxLength": 2000}}),
        "responses": {"201": _json({"type": "object", "properties": {
            "placement": {"type": "integer"}, "stage": {"type": "string"}, "scores": {"type": "object"},
            "total": {"type": "integer"}, "comment": {"type": "string"}}}, "Saved"),
            "403": _err(NOT_HOST),
            "409": _err("Already evaluated (already_evaluated), mid-term first (mid_term_first), not begun "
                        "(not_begun) or not confirmed (not_confirmed)"),
            "422": _err("Scores missing or out of range; fields keyed scores.<criterion>")}}},
    "/host/placements/{placement_id}/retention": {"post": {
        "summary": "留用: whether the host keeps the trainee on and from when (from the placement's last day "
                   "to a year after it); may be corrected", "security": BEARER, "parameters": [PLACEMENT_ID],
        "requestBody": _body(["retained"], {"retained": {"type": "boolean"},
                                            "retained_from": {"type": "string", "format": "date"}}),
        "responses": {"200": _json({"$ref": "#/components/schemas/Placement"}),
            "403": _err(NOT_HOST), "409": _err("The placement has not ended (code not_ended)"),
            "422": _err("Missing or out-of-range date")}}},
    "/traineeships/batches/{batch_id}/unconfirmed-months": {"get": {
        "summary": "Months of the batch's placements that are over and not confirmed, by host; overdue from "
                   "the 6th of the next month (organisers of the batch's department)",
        "security": BEARER, "parameters": [BATCH_ID],
        "responses": {"200": _json({"type": "object", "properties": {"items": {"type": "array", "items": {
            "type": "object", "properties": {
                "placement": {"type": "integer"}, "host": HOST, "month": {"type": "string"},
                "due": {"type": "string", "format": "date"}, "overdue": {"type": "boolean"}}}}}}),
            "403": _err("Not an organiser of the batch's department"), "404": _err("No such batch")}}},
    "/traineeships/retention": {"get": {
        "summary": "留用率 per host and year over completed placements, and the hosts under 20 % two "
                   "consecutive years (staff)", "security": BEARER,
        "responses": {"200": _json({"type": "object", "properties": {
            "threshold": {"type": "number"},
            "items": {"type": "array", "items": {"type": "object", "properties": {
                "host": HOST, "year": {"type": "integer"}, "completed": {"type": "integer"},
                "retained": {"type": "integer"}, "rate": {"type": "number"}, "low": {"type": "boolean"}}}},
            "flagged": {"type": "array", "items": {"type": "object", "properties": {
                "host": HOST, "years": {"type": "array", "items": {"type": "integer"}}}}}}}),
            "403": _err("Not staff")}}},
}
