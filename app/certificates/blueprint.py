"""The certificates area's routes, listed in one place.

The blueprint objects live in app/certificates/bp.py (so view modules can import them
without importing this module back); importing this module loads every view module, which
registers its routes. app/__init__.py registers `bp`, `public`.
"""

from __future__ import annotations

from app.certificates import views
from app.certificates.bp import bp, public

VIEW_MODULES = (views,)

__all__ = ["bp", "public", "VIEW_MODULES"]
