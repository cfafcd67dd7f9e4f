"""The talent record's routes, listed in one place; app/__init__.py registers `bp`."""
from __future__ import annotations

from app.person.record import staff_views, views
from app.person.record.bp import bp

VIEW_MODULES = (views, staff_views)

__all__ = ["bp", "VIEW_MODULES"]
