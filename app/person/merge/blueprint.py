"""The merge pages' routes, listed in one place (app/__init__.py registers `bp`)."""
from __future__ import annotations

from app.person.merge import views
from app.person.merge.bp import bp

VIEW_MODULES = (views,)

__all__ = ["bp", "VIEW_MODULES"]
