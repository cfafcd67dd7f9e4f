"""The online area's routes, listed in one place (app/__init__.py registers `bp` and `beat`)."""

from __future__ import annotations

from app.online import console_views, views
from app.online.bp import beat, bp

VIEW_MODULES = (views, console_views)

__all__ = ["bp", "beat", "VIEW_MODULES"]
