"""The personal code's blueprint object; app/person/code/blueprint.py imports its views."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("person_code", __name__)
