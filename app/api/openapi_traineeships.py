"""The traineeship part of the OpenAPI document (app/api/openapi.py adds it)."""
from __future__ import annotations

DATE = {"type": "string", "format": "date"}
TIME = {"type": "string", "format": "date-time"}
ID = {"type": "integer"}
HOST = {"type": "object", "properties": {"id": ID, "name": {"type": "string"}}}


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def _items(name: str) -> dict:
    return {"type": "object", "required": ["items"], "properties": {"items": {"type": "array", "items": _ref(name)}}}


SCHEMAS = {
    "TraineeshipPlace": {"type": "object", "properties": {
        "id": ID, "batch_id": ID, "host": HOST, "position": {"type": "string"}, "openings": ID, "months": ID,
        "monthly_allowance": {"type": "integer", "description": "Yuan a month, for information (no payment)"},
        "status": {"type": "string", "enum": ["open", "closed"]}, "description": {"type": "string"},
        "requirements": {"type": "string"}}},
    "TraineeshipBatch": {"type": "object", "required": ["id", "title", "kind", "status"], "properties": {
        "id": ID, "title": {"type": "string"},
        "kind": {"type": "string", "enum": ["job_traineeship", "social_practice"]}, "year": ID,
        "season": {"type": "string", "enum": ["spring", "summer", "autumn", "winter"]},
        "status": {"type": "string", "enum": ["draft", "open", "closed", "running", "finished", "cancelled"]},
        "department": {"type": "string"}, "event_id": ID, "applications_open_at": TIME,
        "applications_close_at": TIME, "starts_on": DATE, "ends_on": DATE, "max_choices": ID}},
    "TraineeshipBatchDetail": {"allOf": [_ref("TraineeshipBatch"), {"type": "object", "properties": {
        "eligibility": {"type": "object", "description": "min_age, max_age, graduation_years, "
                                                         "left_school_unemployed_only, shanghai_household_or_study"},
        "places": {"type": "array", "items": _ref("TraineeshipPlace")}}}]},
    "Placement": {"type": "object", "required": ["id", "status"], "properties": {
        "id": ID, "status": {"type": "string", "enum": ["proposed", "confirmed", "rejected", "completed", "withdrawn"]},
        "place_id": ID, "host": HOST, "trainee": {"type": "object", "properties": {
            "id": ID, "name": {"type": "string"}, "mobile_masked": {"type": "string"}}},
        "choice_rank": ID, "starts_on": DATE, "ends_on": DATE, "registration_id": {"type": ["integer", "null"]},
        "retained": {"type": ["boolean", "null"], "description": "留用: kept on by the host (null: not decided)"},
        "retained_from": {"type": ["string", "null"], "format": "date"}}},
    "Applicant": {"type": "object", "required": ["choice_id", "status"], "properties": {
        "choice_id": ID, "place_id": ID, "rank": ID,
        "status": {"type": "string", "enum": ["pending", "accepted", "declined", "superseded"]},
        "reason": {"type": "string"}, "name": {"type": "string"}, "mobile_masked": {"type": "string"},
        "school": {"type": "string"}, "major": {"type": "string"}, "graduation_year": ID,
        "application_status": {"type": "string", "enum": ["submitted", "placed", "not_placed", "withdrawn"]}}},
}


def paths(json, err, bearer) -> dict:
    """`json(schema, description)`, `err(description)` and `bearer` come from openapi.py."""
    batch_id = {"name": "batch_id", "in": "path", "required": True, "schema": {"type": "integer"}}
    choice_id = {"name": "choice_id", "in": "path", "required": True, "schema": {"type": "integer"}}
    not_run = err("Not an organiser of the batch's department")
    not_host = err("Not a contact of the place's host company")
    return {
        "/traineeships/batches": {"get": {
            "summary": "Traineeship batches the token's user runs (organisers: their departments'; admins: all)",
            "security": bearer, "responses": {"200": json(_items("TraineeshipBatch")), "403": err("Not staff")}}},
        "/traineeships/batches/{batch_id}": {"get": {
            "summary": "A batch with its rules and places", "security": bearer, "parameters": [batch_id],
            "responses": {"200": json(_ref("TraineeshipBatchDetail")), "403": not_run,
                          "404": err("No such batch")}}},
        "/traineeships/batches/{batch_id}/placements": {"get": {
            "summary": "The batch's placements (phones masked)", "security": bearer, "parameters": [batch_id],
            "responses": {"200": json(_items("Placement")), "403": not_run, "404": err("No such batch")}}},
        "/host/applicants": {"get": {
            "summary": "Applicants to the places of the host companies the token's user is a contact of "
                       "(empty for anybody else)", "security": bearer,
            "responses": {"200": json(_items("Applicant"))}}},
        "/host/choices/{choice_id}/accept": {"post": {
            "summary": "Accept an applicant: a placement proposed to the bureau", "security": bearer,
            "parameters": [choice_id],
            "responses": {"201": json(_ref("Placement"), "Proposed"), "403": not_host,
                          "404": err("No such applicant"),
                          "409": err("The person already has a placement in the batch (code already_placed), the "
                                     "place is full (place_full) or the choice was decided (already_decided)")}}},
        "/host/choices/{choice_id}/decline": {"post": {
            "summary": "Decline an applicant with a reason they are shown", "security": bearer,
            "parameters": [choice_id],
            "requestBody": {"required": True, "content": {"application/json": {"schema": {
                "type": "object", "required": ["reason"],
                "properties": {"reason": {"type": "string", "minLength": 1, "maxLength": 300}}}}}},
            "responses": {"200": json(_ref("Applicant")), "403": not_host, "404": err("No such applicant"),
                          "409": err("Decided already (code already_decided)"), "422": err("No reason given")}}},
    }
