"""The job fairs area's routes, listed in one place (app/__init__.py registers `bp`)."""
from __future__ import annotations

from app.jobfairs import console_views, employer_views, seeker_views
from app.jobfairs.bp import bp

VIEW_MODULES = (console_views, employer_views, seeker_views)

__all__ = ["bp", "VIEW_MODULES"]
