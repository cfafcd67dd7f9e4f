"""The checkin area's routes, listed in one place.

The blueprint object lives in app/checkin/bp.py (so view modules can import it
without importing this module back); importing this module loads every view module, which
registers its routes. app/__init__.py registers `bp`.
"""

from __future__ import annotations

from app.checkin import venue_views, views
from app.checkin.bp import bp

VIEW_MODULES = (views, venue_views)

__all__ = ["bp", "VIEW_MODULES"]
