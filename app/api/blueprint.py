"""The api area's routes, listed in one place.

The blueprint object lives in app/api/bp.py (so view modules can import it
without importing this module back); importing this module loads every view module, which
registers its routes. app/__init__.py registers `bp`.
"""

from __future__ import annotations

from app.api import (certificates, checkins, jobfairs, online, organisations, people, pitch, rosters,
                     traineeship_progress, traineeships, views)
from app.api.bp import bp

VIEW_MODULES = (views, checkins, certificates, organisations, traineeships, traineeship_progress, rosters, online,
                jobfairs, pitch, people)

__all__ = ["bp", "VIEW_MODULES"]
