"""The organisation pages' routes, listed in one place; app/__init__.py registers `bp`."""
from __future__ import annotations

from app.organisation_pages import views
from app.organisation_pages.bp import bp

VIEW_MODULES = (views,)

__all__ = ["bp", "VIEW_MODULES"]
