"""Image uploads: checked by decoding them, never by trusting the name or the browser; kept in
the file store (app/file_store) and served publicly at /uploads/<name>."""
from __future__ import annotations

import io
import secrets

from flask import current_app
from flask_babel import lazy_gettext as _l
from PIL import Image, UnidentifiedImageError

from app import file_store
from app.errors import InvalidInput

FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
MAX_PIXELS = 40_000_000


def save_image(storage, field: str = "cover") -> str:
    data = storage.read(current_app.config["MAX_IMAGE_BYTES"] + 1)
    if len(data) > current_app.config["MAX_IMAGE_BYTES"]:
        raise InvalidInput(fields={field: _l("The image is larger than %(mb)s MB.",
                                             mb=current_app.config["MAX_IMAGE_BYTES"] // (1024 * 1024))})
    try:
        with Image.open(io.BytesIO(data)) as probe:
            kind = probe.format
            if probe.width * probe.height > MAX_PIXELS:
                raise InvalidInput(fields={field: _l("The image has too many pixels.")})
            probe.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError):
        raise InvalidInput(fields={field: _l("This file is not a JPEG, PNG or WebP image.")}) from None
    if kind not in FORMATS:
        raise InvalidInput(fields={field: _l("This file is not a JPEG, PNG or WebP image.")})
    name = f"{secrets.token_hex(12)}.{FORMATS[kind]}"
    return file_store.put(name, data, file_store.IMAGE)
