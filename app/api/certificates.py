"""Certificate verification for machines: GET /api/v1/certificates/verify/<code> (no token: it
is as public as the verification page, and rate-limited the same way)."""
from __future__ import annotations

from app.api.bp import bp
from app.certificates.views import _verify_limit, show_json
from app.extensions import limiter


@bp.route("/certificates/verify/<code>")
@limiter.limit(_verify_limit)
def certificate_verify(code: str):
    return show_json(code)
