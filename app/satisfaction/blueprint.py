"""The 感受度 surveys' routes, listed in one place (app/__init__.py registers `bp`)."""
from __future__ import annotations

from app.satisfaction import console_views, views
from app.satisfaction.bp import bp

VIEW_MODULES = (views, console_views)

__all__ = ["bp", "VIEW_MODULES"]
