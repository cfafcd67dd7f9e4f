"""The mentoring blueprint object (view modules import this module; app/mentoring/blueprint.py imports them)."""
from __future__ import annotations

from flask import Blueprint

bp = Blueprint("mentoring", __name__)
