"""Personal-data rights' routes, listed in one place: the person's /me/data pages (views) and
the admins' retention report and erasure on request (admin_views). app/__init__.py registers `bp`."""
from __future__ import annotations

from app.person.rights import admin_views, views
from app.person.rights.bp import bp

VIEW_MODULES = (views, admin_views)

__all__ = ["bp", "VIEW_MODULES"]
