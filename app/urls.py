"""Absolute links to this site: built from PUBLIC_BASE_URL, never from the request.

A request's Host header is the client's to choose; a link built from it and mailed to someone else
(a ticket link in a waiting-list notice) would send them wherever the client wanted. Links that
leave the page they are on — notices, tickets, scanner links, calendar feeds, certificate QR codes,
API answers — come from here.
"""
from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar
from urllib.parse import quote, urlsplit

from flask import Flask, current_app

# A one-off other address (`flask certificates print --base-url`), for the current context only.
_override: ContextVar[str | None] = ContextVar("public_base_url_override", default=None)


def local_path(target: str | None) -> str | None:
    """`target` when it is a page of this site, else None: a redirect to it never leaves the site,
    however a browser reads it (//host, /\\host — browsers take a backslash for a slash — or a tab
    or newline inside, which urlsplit drops as browsers do)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return None
    parts = urlsplit(target)
    return target if not (parts.scheme or parts.netloc) else None


def public_base_url() -> str:
    """https://rencai.minhang.gov.cn (no trailing slash)."""
    return _override.get() or current_app.config["PUBLIC_BASE_URL"]


def public_url(endpoint: str, **values) -> str:
    """`url_for(endpoint, **values, _external=True)` on the configured address; works outside a
    request too (background jobs, the CLI). The endpoint is the full name ("tickets.show")."""
    base = urlsplit(public_base_url())
    anchor = values.pop("_anchor", None)
    current_app.inject_url_defaults(endpoint, values)
    adapter = current_app.url_map.bind(base.netloc, script_name=base.path or "/", url_scheme=base.scheme)
    url = adapter.build(endpoint, values, force_external=True)
    return f"{url}#{quote(anchor, safe='=&/?:@!$()*+,;')}" if anchor else url


@contextmanager
def base_url_override(base_url: str | None):
    token = _override.set(base_url.rstrip("/") if base_url else None)
    try:
        yield
    finally:
        _override.reset(token)


def configure(app: Flask) -> None:
    """PUBLIC_BASE_URL is required in production (development and tests have a local default);
    TRUSTED_HOSTS defaults to its host, so that a request for any other Host is a 400."""
    base = (app.config.get("PUBLIC_BASE_URL") or app.config.get("DEFAULT_PUBLIC_BASE_URL") or "").strip()
    if not base:
        raise RuntimeError("PUBLIC_BASE_URL must be set in production: the site's public address, e.g. "
                           "https://rencai.minhang.gov.cn. Links in mails, tickets and certificates are built "
                           "from it (or use APP_ENV=development)")
    parts = urlsplit(base)
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.query or parts.fragment:
        raise RuntimeError(f"PUBLIC_BASE_URL must be an http(s) address like https://rencai.minhang.gov.cn, "
                           f"not {base!r}")
    app.config["PUBLIC_BASE_URL"] = base.rstrip("/")
    hosts = app.config.get("TRUSTED_HOSTS")
    if hosts is None:
        hosts = [parts.hostname, *app.config.get("LOCAL_HOSTS", ())]
    elif "*" in hosts:  # the operator's proxy checks Host itself
        hosts = None
    app.config["TRUSTED_HOSTS"] = list(dict.fromkeys(hosts)) if hosts is not None else None
