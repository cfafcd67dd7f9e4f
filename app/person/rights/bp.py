"""The rights blueprint object (see app/person/rights/blueprint.py)."""
from __future__ import annotations

from flask import Blueprint

bp = Blueprint("rights", __name__)
