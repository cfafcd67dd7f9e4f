"""The merge pages' blueprint object (views.py registers on it; blueprint.py imports both)."""
from __future__ import annotations

from flask import Blueprint

# /console/people itself (search, a person's record) belongs to the talent record's pages.
bp = Blueprint("merge", __name__, url_prefix="/console/people")
