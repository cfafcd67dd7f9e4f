"""The OpenAPI 3.1 description of API v1, served at /api/v1/openapi.json.

Written as Python so schema pieces are defined once and reused; `python -m app.api.openapi`
prints the document for tools that want a file.
"""
from __future__ import annotations

import json

from app.api import openapi_online
from app.api import openapi_organisations as organisations
from app.api import openapi_jobfairs, openapi_people, openapi_pitch, openapi_traineeships
from app.api.openapi_traineeship_progress import PROGRESS_PATHS

ERROR = {"$ref": "#/components/schemas/Error"}


def _json(schema, description="OK"):
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _err(description):
    return _json(ERROR, description)


def _paged(item_ref):
    return {"type": "object", "required": ["items", "page", "per_page", "total", "pages"], "properties": {
        "items": {"type": "array", "items": {"$ref": item_ref}},
        "page": {"type": "integer"}, "per_page": {"type": "integer"},
        "total": {"type": "integer"}, "pages": {"type": "integer"}}}


PAGE_PARAMS = [
    {"name": "page", "in": "query", "schema": {"type": "integer", "minimum": 1, "default": 1}},
    {"name": "per_page", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 200, "default": 50}},
]
EVENT_ID = {"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}}
BEARER = [{"bearer": []}]
SCANNER = [{"bearer": []}, {"scannerLink": []}]
TIME = {"type": "string", "format": "date-time"}
NTIME = {"type": ["string", "null"], "format": "date-time"}

COUNT = {"type": "integer", "minimum": 0}
SCHEMAS = {
    "RosterMember": {"type": "object", "required": ["id", "kind", "name", "status", "counts"], "properties": {
        "id": {"type": "integer"}, "kind": {"type": "string", "enum": ["mentor", "ambassador", "officer"]},
        "name": {"type": "string"}, "mobile_masked": {"type": "string"},
        "organisation": {"type": ["string", "null"]}, "expertise": {"type": "string"},
        "department": {"type": "string"}, "term_from": {"type": "string", "format": "date"},
        "term_to": {"type": "string", "format": "date"},
        "status": {"type": "string", "enum": ["active", "suspended", "ended"]},
        "expired": {"type": "boolean", "description": "Not ended, but past the last day of the term"},
        "referral_code": {"type": ["string", "null"], "description": "Ambassadors and officers: /r/<code>"},
        "counts": {"type": "object", "properties": {
            "registrations": COUNT, "confirmed": COUNT, "attended": COUNT, "applications": COUNT,
            "admitted": COUNT}}}},
    "MentoringSession": {"type": "object", "required": ["id", "held_on", "topic"], "properties": {
        "id": {"type": "integer"}, "pairing": {"type": "integer"}, "cohort": {"type": "string"},
        "founder": {"type": "string"}, "held_on": {"type": "string", "format": "date"},
        "topic": {"type": "string"}, "minutes": {"type": "string"}, "follow_up": {"type": "string"},
        "rating": {"type": ["integer", "null"], "minimum": 1, "maximum": 5},
        "rating_comment": {"type": "string"}}},
    "Error": {"type": "object", "required": ["code", "message"], "properties": {
        "code": {"type": "string", "description": "Stable machine-readable code, e.g. already_registered"},
        "message": {"type": "string", "description": "Translated message for people"},
        "fields": {"type": "object", "additionalProperties": {"type": "string"},
                   "description": "Per-field messages; answers are keyed answers.<question id>"}}},
    "Session": {"type": "object", "properties": {
        "id": {"type": "integer"}, "title": {"type": "string"}, "starts_at": TIME, "ends_at": TIME,
        "room": {"type": "string"}, "speaker": {"type": "string"},
        "capacity": {"type": ["integer", "null"]}}},
    "Question": {"type": "object", "properties": {
        "id": {"type": "integer"}, "label": {"type": "string"},
        "kind": {"type": "string", "enum": ["text", "long_text", "single", "multiple", "number", "date"]},
        "required": {"type": "boolean"}, "help_text": {"type": "string"},
        "choices": {"type": "array", "items": {"type": "object", "properties": {
            "label": {"type": "string"}, "limit": {"type": ["integer", "null"]}}}}}},
    "Event": {"type": "object", "required": ["id", "title", "kind", "status", "starts_at", "ends_at"], "properties": {
        "id": {"type": "integer"}, "title": {"type": "string"}, "kind": {"type": "string"},
        "status": {"type": "string", "enum": ["draft", "published", "cancelled"]},
        "series": {"type": ["object", "null"], "properties": {
            "id": {"type": "integer"}, "slug": {"type": "string"}, "name": {"type": "string"}}},
        "department": {"type": "string"}, "venue": {"type": "string"}, "address": {"type": "string"},
        "starts_at": TIME, "ends_at": TIME, "capacity": {"type": ["integer", "null"]},
        "requires_approval": {"type": "boolean"}, "registration_opens_at": NTIME,
        "registration_closes_at": NTIME, "registration_open": {"type": "boolean"},
        "format": {"type": "string", "enum": ["onsite", "online", "hybrid"]},
        "invited_only": {"type": "boolean"}}},
    "EventDetail": {"allOf": [{"$ref": "#/components/schemas/Event"}, {"type": "object", "properties": {
        "description": {"type": "string"}, "seats_left": {"type": ["integer", "null"]},
        "sessions": {"type": "array", "items": {"$ref": "#/components/schemas/Session"}},
        "questions": {"type": "array", "items": {"$ref": "#/components/schemas/Question"}},
        "checkpoints": {"type": "array", "items": {"$ref": "#/components/schemas/Checkpoint"}}}}]},
    "EventCreate": {"type": "object",
                    "required": ["title", "kind", "department", "venue", "starts_at", "ends_at"], "properties": {
        "title": {"type": "string", "maxLength": 200},
        "kind": {"type": "string", "enum": ["forum", "job_fair", "policy_briefing", "lecture", "campus_recruiting",
                                            "symposium", "salon", "training", "competition", "other"]},
        "department": {"oneOf": [{"type": "integer"}, {"type": "string"}],
                       "description": "Department id, code or name (e.g. 区人才中心)"},
        "series": {"oneOf": [{"type": "integer"}, {"type": "string"}], "description": "Series id or slug"},
        "venue": {"type": "string"}, "address": {"type": "string"}, "description": {"type": "string"},
        "starts_at": {"type": "string", "format": "date-time",
                      "description": "ISO 8601; without an offset the time is Asia/Shanghai"},
        "ends_at": {"type": "string", "format": "date-time"},
        "capacity": {"type": ["integer", "null"], "minimum": 1},
        "requires_approval": {"type": "boolean", "default": False},
        "registration_opens_at": {"type": "string", "format": "date-time"},
        "registration_closes_at": {"type": "string", "format": "date-time"},
        "status": {"type": "string", "enum": ["draft", "published"], "default": "draft"}}},
    "Checkpoint": {"type": "object", "properties": {
        "id": {"type": "integer"}, "name": {"type": "string"},
        "session": {"type": ["integer", "null"], "description": "Agenda session id; null for the whole event"},
        "opens_at": {"type": "string", "format": "date-time"}, "closes_at": {"type": "string", "format": "date-time"},
        "allow_reentry": {"type": "boolean"},
        "self_check_in": {"type": "boolean", "description": "People may check themselves in here by scanning "
                                                             "the checkpoint's venue code with their own phone"}}},
    "ScanRequest": {"type": "object", "required": ["checkpoint"], "properties": {
        "token": {"type": "string", "maxLength": 300,
                  "description": "The text of the scanned QR code: a ticket or a personal code (我的码)"},
        "registration": {"type": "integer", "description": "Instead of token: a manual check-in of the "
                                                             "registration picked from the roster by name"},
        "checkpoint": {"type": "integer"},
        "direction": {"type": "string", "enum": ["in", "out"], "default": "in"},
        "scanned_at": {"type": "string", "format": "date-time", "description": "When the device scanned it"},
        "nonce": {"type": "string", "maxLength": 64, "description": "Retries with the same nonce record one scan"},
        "device": {"type": "string"}}},
    "ScanDecision": {"type": "object", "required": ["result", "message"], "properties": {
        "result": {"type": "string", "enum": ["ok", "already_checked_in", "not_registered", "not_confirmed",
                                              "invalid", "outside_window", "revoked", "not_checked_in", "expired"]},
        "message": {"type": "string"}, "scan_id": {"type": "integer"},
        "attendee": {"type": "object", "properties": {"name": {"type": "string"},
                                                      "mobile_masked": {"type": "string"}}},
        "first_checked_in_at": {"type": "string", "format": "date-time"},
        "first_device": {"type": "string"},
        "first_place": {"type": "string", "description": "Scanner link label or checkpoint of the first entry"},
        "direction": {"type": "string", "enum": ["in", "out"]},
        "entered_at": {"type": "string", "format": "date-time",
                       "description": "For an accepted exit: the entry it closes"},
        "nonce": {"type": "string"}, "conflict": {"type": "boolean"}}},
    "RegistrationCreate": {"type": "object", "properties": {
        "answers": {"type": "object", "description": "Keyed by question id; multiple choice takes a list",
                    "additionalProperties": True},
        "sessions": {"type": "array", "items": {"type": "integer"},
                     "description": "Agenda sessions to attend; default all"}}},
    "Registration": {"type": "object", "required": ["id", "status"], "properties": {
        "id": {"type": "integer"}, "event_id": {"type": "integer"},
        "status": {"type": "string", "enum": ["confirmed", "waitlisted", "pending", "cancelled", "rejected"]},
        "waitlist_position": {"type": ["integer", "null"]}, "created_at": TIME,
        "ticket_url": {"type": "string", "format": "uri",
                       "description": "Private link to the ticket page; opens without login"}}},
    "RegistrationFull": {"allOf": [{"$ref": "#/components/schemas/Registration"}, {"type": "object", "properties": {
        "attendee": {"type": "object", "properties": {
            "id": {"type": "integer"}, "name": {"type": "string"},
            "mobile_masked": {"type": "string", "example": "138****5678"}, "employer": {"type": ["string", "null"]}}},
        "answers": {"type": "object", "additionalProperties": True}}}]},
}


# Answers any operation may give besides its own, so that every status the API can answer is
# documented (a client can rely on the list; the fuzz test in tests/api/test_api_fuzz.py holds us to it).
COMMON_ERRORS = {
    "401": (lambda op: bool(op.get("security")), "No or bad token"),
    "404": (lambda op: any(p.get("in") == "path" for p in op.get("parameters", [])),
            "No such object (or an id out of range)"),
    "422": (lambda op: bool(op.get("parameters") or op.get("requestBody")),
            "Malformed input: a parameter or field of the wrong type, length or range"),
    "503": (lambda op: True, "The service is briefly unavailable (e.g. the database); try again"),
}


def _complete(paths: dict) -> dict:
    for operations in paths.values():
        for operation in operations.values():
            responses = operation["responses"]
            for status, (applies, description) in COMMON_ERRORS.items():
                if status not in responses and applies(operation):
                    responses[status] = _err(description)
    return paths


def build() -> dict:
    return {
        "openapi": "3.1.0",
        "info": {"title": "Minhang Talent Events API", "version": "1.0.0",
                 "description": "Events, registration and tickets for scanners, kiosks and integrations. "
                                "Times are ISO 8601 with offset (shown in Asia/Shanghai). Errors carry a stable "
                                "`code` and a translated `message`; send `Accept-Language`-independent "
                                "`?lang=en` for English messages."},
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer",
                                           "description": "Token from POST /auth/token"},
                                "scannerLink": {"type": "http", "scheme": "bearer",
                                                "description": "Secret of a scanner link (scan_…): check-in "
                                                               "endpoints of one event only"}},
            "schemas": (SCHEMAS | organisations.SCHEMAS | openapi_traineeships.SCHEMAS | openapi_online.SCHEMAS
                        | openapi_jobfairs.SCHEMAS | openapi_pitch.SCHEMAS | openapi_people.SCHEMAS),
        },
        "paths": _complete({
            "/auth/token": {"post": {
                "summary": "Exchange login (mobile or email) and password for a Bearer token (valid 30 days)",
                "requestBody": {"required": True, "content": {"application/json": {"schema": {
                    "type": "object", "required": ["login", "password"],
                    "properties": {"login": {"type": "string"}, "password": {"type": "string"},
                                   "name": {"type": "string", "maxLength": 60,
                                            "description": "Shown to the owner on their profile, e.g. the device"}}}}}},
                "responses": {
                    "200": _json({"type": "object", "required": ["token"], "properties": {
                        "token": {"type": "string"}, "token_type": {"type": "string"},
                        "user": {"type": "object"}}}),
                    "401": _err("Wrong login or password (code bad_credentials)"),
                    "422": _err("Malformed body"), "429": _err("Too many attempts")}}},
            "/events": {
                "get": {"summary": "Published events (no token needed)", "parameters": PAGE_PARAMS + [
                    {"name": "series", "in": "query", "schema": {"type": "string"}, "description": "Series id or slug"},
                    {"name": "kind", "in": "query", "schema": {"type": "string"}},
                    {"name": "upcoming", "in": "query", "schema": {"type": "string", "enum": ["0", "1"]},
                     "description": "1 (default): only events not yet over"}],
                        "responses": {"200": _json(_paged("#/components/schemas/Event")),
                                      "404": _err("No such series")}},
                "post": {"summary": "Create an event (organiser of the department, or admin)", "security": BEARER,
                         "requestBody": {"required": True, "content": {"application/json": {
                             "schema": {"$ref": "#/components/schemas/EventCreate"}}}},
                         "responses": {"201": _json({"$ref": "#/components/schemas/EventDetail"}, "Created"),
                                       "401": _err("No or bad token"), "403": _err("Not an organiser"),
                                       "422": _err("Invalid fields")}}},
            "/events/{id}": {"get": {
                "summary": "One event with agenda sessions and registration questions", "parameters": [EVENT_ID],
                "responses": {"200": _json({"$ref": "#/components/schemas/EventDetail"}),
                              "404": _err("No such event (drafts are visible to their organisers only)")}}},
            "/events/{id}/registrations": {
                "post": {"summary": "Register the token's user", "security": BEARER, "parameters": [EVENT_ID],
                         "requestBody": {"content": {"application/json": {
                             "schema": {"$ref": "#/components/schemas/RegistrationCreate"}}}},
                         "responses": {
                             "201": _json({"$ref": "#/components/schemas/Registration"}, "Registered: confirmed, "
                                          "waitlisted (with position) or pending approval"),
                             "401": _err("No or bad token"),
                             "403": _err("Registration closed (code registration_closed)"),
                             "404": _err("No such event"),
                             "409": _err("Already registered (code already_registered)"),
                             "422": _err("Invalid answers; fields keyed answers.<question id>")}},
                "get": {"summary": "Registrations of an event (its organisers), paginated", "security": BEARER,
                        "parameters": [EVENT_ID] + PAGE_PARAMS + [
                            {"name": "status", "in": "query", "schema": {"type": "string"}}],
                        "responses": {"200": _json(_paged("#/components/schemas/RegistrationFull")),
                                      "401": _err("No or bad token"), "403": _err("Not an organiser of this event"),
                                      "404": _err("No such event")}}},
            "/me/registrations": {"get": {
                "summary": "The token user's registrations", "security": BEARER,
                "responses": {"200": _json({"type": "object", "properties": {"items": {
                    "type": "array", "items": {"$ref": "#/components/schemas/Registration"}}}}),
                    "401": _err("No or bad token")}}},
            "/registrations/{id}/cancel": {"post": {
                "summary": "Cancel a registration (its owner or the event's organisers); "
                           "the first person waiting moves up", "security": BEARER,
                "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}}],
                "responses": {"200": _json({"$ref": "#/components/schemas/Registration"}),
                              "401": _err("No or bad token"), "403": _err("Not yours"),
                              "409": _err("Already cancelled (code not_active)")}}},
            "/checkins": {"post": {
                "summary": "Decide one scan (organisers of the event). Every decided verdict, rejections "
                           "included, answers 200 with a stable result code", "security": SCANNER,
                "requestBody": {"required": True, "content": {"application/json": {
                    "schema": {"$ref": "#/components/schemas/ScanRequest"}}}},
                "responses": {"200": _json({"$ref": "#/components/schemas/ScanDecision"}),
                              "401": _err("No or bad token"), "403": _err("Not an organiser of this event"),
                              "404": _err("No such checkpoint"), "422": _err("Malformed body")}}},
            "/checkins/batch": {"post": {
                "summary": "Upload a device's queued offline scans; idempotent by nonce; reports conflicts "
                           "(one ticket admitted by two devices while offline)", "security": SCANNER,
                "requestBody": {"required": True, "content": {"application/json": {"schema": {
                    "type": "object", "required": ["scans"], "properties": {
                        "device": {"type": "string"},
                        "scans": {"type": "array", "maxItems": 500,
                                  "items": {"$ref": "#/components/schemas/ScanRequest"}}}}}}},
                "responses": {"200": _json({"type": "object", "properties": {
                    "results": {"type": "array", "items": {"$ref": "#/components/schemas/ScanDecision"}},
                    "conflicts": {"type": "array", "items": {"type": "object"}}}}),
                    "401": _err("No or bad token"), "403": _err("Not an organiser of this event"),
                    "422": _err("Malformed body; fields keyed scans.<n>.<field>")}}},
            "/checkpoints/{id}/roster": {"get": {
                "summary": "Compact roster for offline scanning: public key, [id, generation, name, "
                           "mobile_last4, user] per admissible registration, ids already checked in; for "
                           "personal codes the authority's public keys and the revoked phone keys",
                "security": SCANNER,
                "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}}],
                "responses": {"200": _json({"type": "object", "properties": {
                    "public_key": {"type": "string", "description": "Ed25519, base64url"},
                    "fields": {"type": "array", "items": {"type": "string"}},
                    "entries": {"type": "array", "items": {"type": "array"}},
                    "checked_in": {"type": "array", "items": {"type": "integer"}},
                    "authority_keys": {"type": "array", "items": {"type": "object", "properties": {
                        "id": {"type": "integer"}, "public_key": {"type": "string"}}}},
                    "revoked_phone_keys": {"type": "array", "items": {"type": "integer"}},
                    "code_max_age": {"type": "integer", "description": "Seconds a personal code stays valid"},
                    "code_future_skew": {"type": "integer"}}}),
                    "401": _err("No or bad token"), "403": _err("Not an organiser of this event"),
                    "404": _err("No such checkpoint")}}},
            "/checkpoints/{id}/stats": {"get": {
                "summary": "Expected (confirmed, holding a seat) and checked-in counts of a checkpoint",
                "security": SCANNER,
                "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}}],
                "responses": {"200": _json({"type": "object", "properties": {
                    "checkpoint": {"type": "integer"}, "expected": {"type": "integer"},
                    "checked_in": {"type": "integer"}}}),
                    "401": _err("No or bad token"), "403": _err("Not allowed at this checkpoint"),
                    "404": _err("No such checkpoint")}}},
            "/scanner": {"get": {
                "summary": "For a scanner link: its event and the checkpoints it may scan at",
                "security": [{"scannerLink": []}],
                "responses": {"200": _json({"type": "object", "properties": {
                    "label": {"type": "string"}, "expires_at": TIME,
                    "event": {"type": "object", "properties": {"id": {"type": "integer"}, "title": {"type": "string"},
                                                               "venue": {"type": "string"}, "starts_at": TIME}},
                    "checkpoints": {"type": "array", "items": {"type": "object", "properties": {
                        "id": {"type": "integer"}, "name": {"type": "string"},
                        "session": {"type": ["integer", "null"]}, "opens_at": TIME, "closes_at": TIME,
                        "allow_reentry": {"type": "boolean"}}}}}}),
                    "401": _err("Expired or revoked link"),
                    "422": _err("Not a scanner link (code not_a_scanner_link)")}}},
            "/certificates/verify/{code}": {"get": {
                "summary": "Verify a certificate by the code in its QR link (or its serial); no token, "
                           "rate-limited. state: valid, revoked, superseded or not_found; the name is masked",
                "parameters": [{"name": "code", "in": "path", "required": True, "schema": {"type": "string"}}],
                "responses": {"200": _json({"type": "object", "properties": {
                    "state": {"type": "string", "enum": ["valid", "revoked", "superseded"]},
                    "serial": {"type": "string"}, "title": {"type": "string"},
                    "recipient": {"type": "string", "description": "masked, e.g. 张*"},
                    "issued_on": {"type": "string", "format": "date"},
                    "revoked_on": {"type": "string", "format": "date", "nullable": True},
                    "superseded_on": {"type": "string", "format": "date", "nullable": True}},
                    "additionalProperties": False}),
                    "404": _json({"type": "object", "properties": {"state": {"type": "string"}}}),
                    "429": _err("Too many lookups"), "503": _err("The register cannot be read: never valid")}}},
            **openapi_traineeships.paths(_json, _err, BEARER),
            **openapi_jobfairs.paths(_json, _err, BEARER, _paged, PAGE_PARAMS),
            **PROGRESS_PATHS,
            **openapi_online.PATHS,
            **openapi_pitch.PATHS,
            **openapi_people.PATHS,
            "/rosters": {"get": {
                "summary": "Mentors, ambassadors and recruiting officers the token user keeps (organisers: their "
                           "departments'), with what came through their referral links", "security": BEARER,
                "parameters": [{"name": "kind", "in": "query",
                                "schema": {"type": "string", "enum": ["mentor", "ambassador", "officer"]}}],
                "responses": {"200": _json({"type": "object", "required": ["items"], "properties": {"items": {
                    "type": "array", "items": {"$ref": "#/components/schemas/RosterMember"}}}}),
                    "401": _err("No or bad token"), "403": _err("Not staff"), "422": _err("Unknown kind")}}},
            "/me/mentoring/sessions": {"get": {
                "summary": "Sessions of the token user's mentoring pairs, as their mentor, newest first",
                "security": BEARER,
                "responses": {"200": _json({"type": "object", "required": ["items"], "properties": {"items": {
                    "type": "array", "items": {"$ref": "#/components/schemas/MentoringSession"}}}}),
                    "401": _err("No or bad token")}}},
            "/openapi.json": {"get": {"summary": "This document", "responses": {"200": {"description": "OK"}}}},
        } | organisations.paths(_json, _paged, PAGE_PARAMS, BEARER)),
    }


if __name__ == "__main__":
    print(json.dumps(build(), ensure_ascii=False, indent=2))
