"""Industry tags, the plan's "4+4" 产业导向 and the rest: one list for organisations and camp
applications (stored codes, translated labels)."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l

INDUSTRIES = {
    "ai": _l("Artificial intelligence"),
    "ic": _l("Integrated circuits"),
    "biomed": _l("Biomedicine"),
    "it": _l("Next-generation information technology"),
    "equipment": _l("High-end equipment"),
    "materials": _l("New materials"),
    "energy": _l("New energy"),
    "digital": _l("Digital economy and internet"),
    "culture": _l("Culture and creative industries"),
    "services": _l("Modern services"),
    "consumer": _l("Consumer goods and retail"),
    "other": _l("Other industry"),
}
