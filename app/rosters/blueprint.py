"""The rosters area's routes, listed in one place (app/__init__.py registers `bp`)."""
from __future__ import annotations

from app.rosters import views
from app.rosters.bp import bp

VIEW_MODULES = (views,)

__all__ = ["bp", "VIEW_MODULES"]
