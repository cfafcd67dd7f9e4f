"""Security headers on every response, with the few per-page exceptions declared on the views.

A small after_request hook rather than Flask-Talisman: Talisman cannot vary Referrer-Policy per
view (private links need no-referrer), its per-view options are stored into the view function on
first use (the first app's defaults stick to it, which breaks apps built side by side in tests),
and its HTTPS redirect and cookie switches duplicate what our config and the proxy already do.
"""
from __future__ import annotations

from flask import Flask, current_app, request

# Only this site's own files: no inline script, no eval, no inline style attributes. data: images
# are the QR codes some pages draw; blob: frames are the certificate editor's live PDF preview.
POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "font-src": "'self'",
    "connect-src": "'self'",
    "media-src": "'self'",
    "worker-src": "'self'",
    "manifest-src": "'self'",
    "frame-src": "'self' blob:",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}
# Features no page uses; the camera only where a view asks for it.
PERMISSIONS = {"camera": "()", "microphone": "()", "geolocation": "()", "payment": "()", "usb": "()",
               "browsing-topics": "()"}


def _options(view) -> dict:
    return getattr(view, "security_headers", {})


def _mark(**options):
    def decorator(view):
        view.security_headers = {**_options(view), **options}
        return view
    return decorator


def private_link(view):
    """The URL is a key (a ticket link, a calendar feed, a scanner's page): never sent as Referer."""
    return _mark(referrer="no-referrer")(view)


def camera(view):
    """The page reads QR codes with the device's camera."""
    return _mark(camera=True)(view)


def frameable(view):
    """May be shown in a frame of this site (the check-in wall on a console dashboard)."""
    return _mark(frame_ancestors="'self'")(view)


def pdf_preview(view):
    """Shows a PDF made in the browser (a blob:) in a frame: Chromium's viewer is an object."""
    return _mark(object_src="'self' blob:")(view)


def _policies(options: dict) -> tuple[str, str, str, str]:
    """CSP, X-Frame-Options, Referrer-Policy and Permissions-Policy for a view's options."""
    policy = dict(POLICY, **{"frame-ancestors": options.get("frame_ancestors", POLICY["frame-ancestors"])})
    if "object_src" in options:
        policy["object-src"] = options["object_src"]
    permissions = dict(PERMISSIONS, camera="(self)" if options.get("camera") else "()")
    return ("; ".join(f"{k} {v}" for k, v in policy.items()),
            "SAMEORIGIN" if "frame_ancestors" in options else "DENY",
            options.get("referrer", "same-origin"),
            ", ".join(f"{k}={v}" for k, v in permissions.items()))


# The header values of each view function, joined once per process rather than on every
# response (a check-in scan is a few ms of CPU): its options are set when it is decorated.
_by_view: dict[object, tuple[str, str, str, str]] = {}


def _set_headers(response):
    view = current_app.view_functions.get(request.endpoint) if request.url_rule else None
    values = _by_view.get(view)
    if values is None:
        values = _by_view[view] = _policies(_options(view))
    csp, frame_options, referrer, permissions = values
    headers = response.headers
    headers.setdefault("Content-Security-Policy", csp)
    headers.setdefault("X-Frame-Options", frame_options)
    headers["X-Content-Type-Options"] = "nosniff"
    headers["Referrer-Policy"] = referrer
    headers["Permissions-Policy"] = permissions
    seconds = current_app.config.get("HSTS_SECONDS") or 0
    if seconds:
        headers["Strict-Transport-Security"] = f"max-age={seconds}; includeSubDomains"
    return response


def init_app(app: Flask) -> None:
    app.after_request(_set_headers)
