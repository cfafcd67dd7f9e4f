"""The traineeships area's routes, listed in one place (app/__init__.py registers `bp`)."""
from __future__ import annotations

from app.traineeships import console_views, host_views, trainee_views
from app.traineeships import host_progress_views, placement_views  # part 2: during and after the placement
from app.traineeships.bp import bp

VIEW_MODULES = (console_views, host_views, trainee_views, placement_views, host_progress_views)

__all__ = ["bp", "VIEW_MODULES"]
