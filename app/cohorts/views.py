"""Cohort pages. Grading and results routes live in `grading_views.py` on this blueprint."""
from __future__ import annotations

from flask import Blueprint

bp = Blueprint("cohorts", __name__)

from app.cohorts import grading_views as _grading_views  # noqa: E402,F401 - registers its routes on bp
