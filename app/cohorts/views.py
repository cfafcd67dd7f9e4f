"""Cohorts' pages: the blueprint. Application and selection routes are in `application_views.py`
(registered on this blueprint), so other cohort pages can grow here without touching them."""
from flask import Blueprint

bp = Blueprint("cohorts", __name__)
