"""The competitions area's routes, listed in one place.

The blueprint object lives in app/competitions/bp.py (so view modules can import it without
importing this module back); importing this module loads every view module, which registers
its routes on it. app/__init__.py registers `bp`.
"""

from __future__ import annotations

from app.competitions import entrant_views, judging_views, lifecycle_views, results_views, scheme_views
from app.competitions.bp import bp

VIEW_MODULES = (lifecycle_views, scheme_views, judging_views, results_views, entrant_views)

__all__ = ["bp", "VIEW_MODULES"]
