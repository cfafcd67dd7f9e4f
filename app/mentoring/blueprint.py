"""The mentoring area's routes, listed in one place (app/__init__.py registers `bp`)."""
from __future__ import annotations

from app.mentoring import views
from app.mentoring.bp import bp

VIEW_MODULES = (views,)

__all__ = ["bp", "VIEW_MODULES"]
