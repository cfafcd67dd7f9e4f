"""The OpenAPI paths of app/api/online.py (an event's online part for its registrant, online
attendance for its organisers), merged into the document by app/api/openapi.py."""
from __future__ import annotations

ERROR = {"$ref": "#/components/schemas/Error"}
BEARER = [{"bearer": []}]
EVENT_ID = {"name": "id", "in": "path", "required": True, "schema": {"type": "integer"}}
COUNT = {"type": "integer", "minimum": 0}
NSTRING = {"type": ["string", "null"]}
FORMAT = {"type": "string", "enum": ["onsite", "online", "hybrid"]}


def _json(schema, description="OK"):
    return {"description": description, "content": {"application/json": {"schema": schema}}}


def _err(description):
    return _json(ERROR, description)


SCHEMAS = {
    "OnlinePart": {"type": "object", "required": ["event_id", "format", "confirmed", "revealed", "stream_url"],
                   "properties": {
        "event_id": {"type": "integer"}, "format": FORMAT, "status": {"type": "string"},
        "confirmed": {"type": "boolean"},
        "reveal_at": {"type": ["string", "null"], "format": "date-time"},
        "revealed": {"type": "boolean", "description": "The stream is shown: confirmed, from the reveal time "
                                                       "until the end"},
        "ended": {"type": "boolean"},
        "stream_url": {**NSTRING, "description": "Only when revealed"},
        "access_code": {**NSTRING, "description": "Only when revealed"},
        "replay_url": {**NSTRING, "description": "Confirmed registrants, after the end"},
        "join_url": {**NSTRING, "description": "The personal join link (confirmed registrations): opening it "
                                               "records online attendance"},
        "attended_minutes": {"type": ["integer", "null"]}, "online_seconds": COUNT,
        "attended_online": {"type": "boolean"}}},
    "OnlineAttendance": {"type": "object", "required": ["event_id", "confirmed", "attended_onsite",
                                                        "attended_online", "attended_either", "universities"],
                         "properties": {
        "event_id": {"type": "integer"}, "format": FORMAT, "attended_minutes": {"type": ["integer", "null"]},
        "confirmed": COUNT, "attended_onsite": COUNT, "joined_online": COUNT, "attended_online": COUNT,
        "attended_either": {**COUNT, "description": "On-site or online, each person once"},
        "universities": {"type": "array", "items": {"type": "object", "properties": {
            "organisation_id": {"type": "integer"}, "name": {"type": "string"}, "link_opens": COUNT,
            "people": COUNT, "registered": COUNT, "attended_onsite": COUNT, "attended_online": COUNT}}}}},
}

PATHS = {
    "/events/{id}/online": {"get": {
        "summary": "The event's online part as the caller (a registrant) sees it: the stream link and access "
                   "code only for a confirmed registration from the reveal time on",
        "security": BEARER, "parameters": [EVENT_ID],
        "responses": {"200": _json({"$ref": "#/components/schemas/OnlinePart"}),
                      "401": _err("No valid token"),
                      "404": _err("No such event, no online part, or the caller is not registered")}}},
    "/events/{id}/online/attendance": {"get": {
        "summary": "Online attendance of an event (its organisers): on-site, online (at least the organiser's "
                   "minutes), either, and per invited university",
        "security": BEARER, "parameters": [EVENT_ID],
        "responses": {"200": _json({"$ref": "#/components/schemas/OnlineAttendance"}),
                      "401": _err("No valid token"), "403": _err("Not an organiser of the event"),
                      "404": _err("No such event")}}},
}
