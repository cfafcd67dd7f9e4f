"""The tickets area's routes, listed in one place.

The blueprint object lives in app/tickets/bp.py (so view modules can import it
without importing this module back); importing this module loads every view module, which
registers its routes. app/__init__.py registers `bp`.
"""

from __future__ import annotations

from app.tickets import views
from app.tickets.bp import bp

VIEW_MODULES = (views,)

__all__ = ["bp", "VIEW_MODULES"]
