"""The accounts area's routes, listed in one place.

The blueprint object lives in app/accounts/bp.py (so view modules can import it
without importing this module back); importing this module loads every view module, which
registers its routes. app/__init__.py registers `bp`.
"""

from __future__ import annotations

from app.accounts import consent_views, views
from app.accounts.bp import bp

VIEW_MODULES = (views, consent_views)

__all__ = ["bp", "VIEW_MODULES"]
