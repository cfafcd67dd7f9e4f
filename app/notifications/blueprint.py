"""The notifications area's routes, listed in one place.

The blueprint objects live in app/notifications/bp.py (so view modules can import them
without importing this module back); importing this module loads every view module, which
registers its routes. app/__init__.py registers `bp`, `sms`.
"""

from __future__ import annotations

from app.notifications import views
from app.notifications.sms import views as sms_views
from app.notifications.bp import bp, sms

VIEW_MODULES = (views, sms_views)

__all__ = ["bp", "sms", "VIEW_MODULES"]
