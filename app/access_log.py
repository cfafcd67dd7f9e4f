"""gunicorn's access log without the secrets that some URLs are (used by deploy/gunicorn.conf.py).

The access log is read by operators and shipped to log stores; pages link to their own static
files, so the Referer header carries private URLs too.
"""
from __future__ import annotations

from gunicorn.glogging import Logger

from app.privacy import URL_MASK, mask_private_urls

# Atoms of gunicorn's access_log_format that hold a URL: the request line, path, query, Referer.
_URL_ATOMS = ("r", "U", "q", "f", "{referer}i")
_SECRET_ATOMS = ("{authorization}i", "{cookie}i", "{x-api-key}i")


class MaskingLogger(Logger):
    """gunicorn's logger, with private links masked in every access-log atom that shows a URL."""

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        for key in _URL_ATOMS:
            if atoms.get(key):
                atoms[key] = mask_private_urls(atoms[key])
        for key in _SECRET_ATOMS:
            if atoms.get(key):
                atoms[key] = URL_MASK
        return atoms
