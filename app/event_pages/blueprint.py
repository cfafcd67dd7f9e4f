"""The events area's routes, listed in one place.

The blueprint objects live in app/event_pages/bp.py (so view modules can import them
without importing this module back); importing this module loads every view module, which
registers its routes. app/__init__.py registers `bp`, `console`.
"""

from __future__ import annotations

from app.event_pages import manage, organisations, views
from app.event_pages.bp import bp, console

VIEW_MODULES = (views, manage, organisations)

__all__ = ["bp", "console", "VIEW_MODULES"]
