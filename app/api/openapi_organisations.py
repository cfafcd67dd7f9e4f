"""The organisations part of the OpenAPI document (app/api/openapi.py merges it in)."""
from __future__ import annotations

STR = {"type": "string"}
NSTR = {"type": ["string", "null"]}
INT = {"type": "integer"}
KINDS = ["company", "university", "host_company", "agency", "partner_region"]
FORBIDDEN = {"description": "Not staff of the bureau", "content": {"application/json": {"schema": {
    "$ref": "#/components/schemas/Error"}}}}

SCHEMAS = {
    "Organisation": {"type": "object", "required": ["id", "kind", "name", "status"], "properties": {
        "id": INT, "kind": {"type": "string", "enum": KINDS}, "name": STR, "uscc": NSTR, "district": STR,
        "in_minhang": {"type": "boolean"}, "industries": {"type": "array", "items": STR}, "size": NSTR,
        "status": {"type": "string", "enum": ["active", "merged"]}, "merged_into": {"type": ["integer", "null"]},
        "contact": {"type": "object", "properties": {"name": STR, "phone_masked": STR, "email_masked": STR}},
        "station": {"type": ["object", "null"], "description": "A university's 引才合作站 agreement",
                    "properties": {"signed_on": {"type": "string", "format": "date"}, "contact": STR}},
        "host_base": {"type": ["object", "null"], "description": "A host company's 见习基地",
                      "properties": {"approved_on": {"type": ["string", "null"], "format": "date"},
                                     "places_per_year": {"type": ["integer", "null"]}, "status": NSTR}}}},
    "OrganisationDetail": {"allOf": [{"$ref": "#/components/schemas/Organisation"}, {"type": "object", "properties": {
        "links": {"type": "object", "description": "Sections of the organisation's page (people, events, cohorts, "
                                                   "trainees, awards, …): a count and the rows",
                  "additionalProperties": {"type": "object", "properties": {
                      "count": INT, "items": {"type": "array", "items": {"type": "object", "properties": {
                          "group": STR, "title": STR, "detail": STR, "when": NSTR}}}}}},
        "station_counts": {"type": ["array", "null"], "description": "By year, newest first (stations only)",
                           "items": {"type": "object", "properties": {
                               "year": INT, "events": INT, "registered": INT, "attended": INT}}}}}]},
}


def paths(json, paged, page_params, bearer) -> dict:
    return {
        "/organisations": {"get": {
            "summary": "The organisations registry (staff of the bureau): search by name (as typed or normalised) "
                       "or credit code, filter by kind; merged duplicates are left out",
            "security": bearer, "parameters": page_params + [
                {"name": "kind", "in": "query", "schema": {"type": "string", "enum": KINDS}},
                {"name": "q", "in": "query", "schema": {"type": "string", "maxLength": 100}}],
            "responses": {"200": json(paged("#/components/schemas/Organisation")), "403": FORBIDDEN}}},
        "/organisations/{id}": {"get": {
            "summary": "An organisation with what links to it and, for a 引才合作站, its counts by year",
            "security": bearer, "parameters": [{"name": "id", "in": "path", "required": True,
                                                "schema": {"type": "integer"}}],
            "responses": {"200": json({"$ref": "#/components/schemas/OrganisationDetail"}), "403": FORBIDDEN}}},
    }
