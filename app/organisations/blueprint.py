"""The organisations area's routes, listed in one place (app/__init__.py registers `bp`)."""
from __future__ import annotations

from app.organisations import views
from app.organisations.bp import bp

VIEW_MODULES = (views,)

__all__ = ["bp", "VIEW_MODULES"]
