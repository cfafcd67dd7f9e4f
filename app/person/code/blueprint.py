"""The personal code's routes (我的码), listed in one place; app/__init__.py registers `bp`."""

from __future__ import annotations

from app.person.code import views
from app.person.code.bp import bp

VIEW_MODULES = (views,)

__all__ = ["bp", "VIEW_MODULES"]
