"""The cohorts area's routes, listed in one place.

The blueprint object lives in app/cohorts/bp.py (so view modules can import it
without importing this module back); importing this module loads every view
module, which registers its routes on it. app/__init__.py registers `bp`.
"""

from __future__ import annotations

from app.cohorts import views
from app.cohorts.grading import views as grading_views
from app.cohorts.selection import views as selection_views
from app.cohorts.bp import bp
from app.cohorts.lessons import views as lesson_views

VIEW_MODULES = (views, lesson_views, grading_views, selection_views)

__all__ = ["bp", "VIEW_MODULES"]
