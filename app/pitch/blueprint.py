"""The pitch competitions' routes, listed in one place (the blueprint object lives in
app/pitch/bp.py; importing this module loads every view module). app/__init__.py registers `bp`."""
from __future__ import annotations

from app.pitch import console_views, entry_views, judging_views, public_views, setup_views
from app.pitch.bp import bp

VIEW_MODULES = (console_views, entry_views, judging_views, public_views, setup_views)

__all__ = ["bp", "VIEW_MODULES"]
