"""Why a backup or a restore was refused: a stable code for scripts, a translated message for the
operator (never a URL with its password, never a row's content)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

from app.errors import ServiceError


class BackupRefused(ServiceError):
    code = "backup_refused"
    default_message = _l("The backup could not be made or restored.")


def refused(code: str, message, **details) -> BackupRefused:
    return BackupRefused(message, code=code, **details)
