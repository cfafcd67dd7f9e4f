"""Small helpers shared by the HTML views."""
from __future__ import annotations

from functools import wraps
from urllib.parse import urlsplit

from flask import abort, flash, request
from flask_login import current_user, login_required

from app.errors import ServiceError


def roles_required(*roles):
    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if not current_user.has_role(*roles):
                abort(403)
            return view(*args, **kwargs)
        return wrapped
    return decorator


def apply_errors(form, error: ServiceError, mapping: dict | None = None) -> None:
    """Put a service's field errors on the matching form fields; the rest go to flash."""
    mapping = mapping or {}
    unplaced = []
    for key, message in (error.fields or {}).items():
        name = mapping.get(key, key)
        field = form._fields.get(name) if form is not None else None
        if field is not None:
            field.errors = list(field.errors or []) + [str(message)]
        else:
            unplaced.append(str(message))
    if unplaced or not error.fields:
        flash(" ".join(unplaced) or str(error.message), "error")


def safe_next(default: str) -> str:
    target = request.args.get("next") or request.form.get("next")
    if target and not urlsplit(target).netloc and target.startswith("/") and not target.startswith("//"):
        return target
    return default


def int_arg(name: str) -> int | None:
    value = request.args.get(name, "")
    return int(value) if value.isdigit() else None
