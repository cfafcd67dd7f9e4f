"""Certificate HTML and PDF: admin templates in a Jinja sandbox, WeasyPrint with embedded CJK fonts.

One document here; batches of many (parallel chunks, stamping) are in `batches`. The QR code is
a tiny PNG (one pixel a module, qrpng) scaled with `image-rendering: pixelated` (inline SVG paths cost ~45 ms a page
to write); seal and signature images are fetched once per document.
"""
from __future__ import annotations

import base64
import logging
import threading
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Callable, Iterable

from flask import current_app
from flask_babel import lazy_gettext as _l
from jinja2 import TemplateError

from app.certificates import qrpng, speedups
from app.certificates.models import Certificate, CertificateTemplate
from app.certificates.sandbox import CertificateSandbox, TemplateRefused
from app.certificates.sandbox import render as bounded_render
from app import file_store
from app.errors import InvalidInput, NotFound
from app.urls import base_url_override, public_url

log = logging.getLogger(__name__)

FONT_FAMILY = '"Noto Serif CJK SC", "Noto Serif CJK", "Source Han Serif SC", serif'
PAGE_SIZES = {"A4 landscape": "A4 landscape", "A4 portrait": "A4 portrait",
              "A5 landscape": "A5 landscape"}
# Rules every certificate gets; a template's own CSS comes after and may override them.
BASE_CSS = """
@page { margin: 0; }
html, body { margin: 0; padding: 0; }
body { font-family: %(font)s; color: #222; }
.certificate { position: relative; overflow: hidden; box-sizing: border-box; break-after: page; }
.certificate:last-child { break-after: auto; }
.certificate img.qr { image-rendering: pixelated; }
/* No PDF outline entry per heading: thousands of bookmarks cost quadratic time to write. */
h1, h2, h3, h4, h5, h6 { bookmark-level: none; }
""" % {"font": FONT_FAMILY}

# What a template may use: flat strings only, never objects (see certificate_context).
PLACEHOLDERS = ("recipient_name", "title", "programme", "held_on", "tier", "award", "issue_date", "issue_date_cn",
                "serial", "code", "verify_url", "verify_page", "qr", "issuer", "signatory", "seal_url",
                "signature_url", "kind", "version")


# -- the sandbox ----------------------------------------------------------------
@lru_cache(maxsize=1)
def sandbox() -> CertificateSandbox:
    return CertificateSandbox()


@lru_cache(maxsize=64)
def _compiled(source: str):
    return sandbox().from_string(source)


def render_body(template: CertificateTemplate, context: dict) -> str:
    """The template's HTML with the context filled in; InvalidInput for a broken template, or one that
    goes past the sandbox's bounds (see app/certificates/sandbox.py)."""
    try:
        return bounded_render(_compiled(template.html), context)
    except TemplateRefused as exc:
        raise InvalidInput(str(exc), code="template_refused", fields={"html": str(exc)}) from None
    except (TemplateError, RecursionError, MemoryError) as exc:  # includes SecurityError from the sandbox
        raise InvalidInput(_l("The template cannot be rendered: %(error)s", error=str(exc)),
                           code="template_error", fields={"html": str(exc)}) from None
    except (ArithmeticError, LookupError, TypeError, ValueError) as exc:
        # A template is code a person typed: its runtime errors ({{ 1 / 0 }}) are theirs to fix.
        error = f"{type(exc).__name__}: {exc}"
        raise InvalidInput(_l("The template cannot be rendered: %(error)s", error=error),
                           code="template_error", fields={"html": error}) from None


def check_template(html: str) -> None:
    """Compile and render against sample values, so a broken template is never saved."""
    probe = CertificateTemplate(html=html, css="", kind="completion", title="", page_size="A4 landscape")
    render_body(probe, sample_context(probe))


# -- the context ----------------------------------------------------------------
_CN_DIGITS = "〇一二三四五六七八九"


def _cn_number(n: int) -> str:
    if n <= 10:
        return "十" if n == 10 else _CN_DIGITS[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else _CN_DIGITS[tens]) + "十" + (_CN_DIGITS[ones] if ones else "")


def date_cn(value: date) -> str:
    """2026-05-08 -> 二〇二六年五月八日, as official certificates write dates."""
    year = "".join(_CN_DIGITS[int(d)] for d in str(value.year))
    return f"{year}年{_cn_number(value.month)}月{_cn_number(value.day)}日"


def url_context(base_url: str | None = None):
    """The address printed in QR codes: PUBLIC_BASE_URL, or for once another one (the CLI's
    --base-url, e.g. to print for a test site)."""
    return base_url_override(base_url)


def verify_url(code: str) -> str:
    return public_url("verify.show", code=code)


def verify_page() -> str:
    """Where anyone can type a serial to check a certificate (printed, so without the scheme)."""
    return public_url("verify.lookup").split("://", 1)[-1]


PNG_DATA_URI = qrpng.PNG_DATA_URI


def qr_data_uri(data: str) -> str:
    """A QR code as a tiny PNG (one pixel per module, black and white); CSS scales it.
    The mask pattern is fixed: scoring all eight costs ~6 ms a code, and any mask is valid.
    Drawn by `qrpng` (the qrcode package's modules at a quarter of its cost)."""
    return qrpng.data_uri(data)


STORED_SCHEME = "stored:"


def upload_url(name: str | None) -> str:
    """A seal's or signature's address for WeasyPrint: `stored:<name>`, which only our fetcher
    answers, from the file store (no file:// path, so no other file can be named)."""
    if not file_store.valid_name(name):
        return ""
    return STORED_SCHEME + name


def stored_images(templates: Iterable[CertificateTemplate]) -> dict[str, bytes]:
    """The seal and signature images these templates show, read from the store once for a batch
    (the render processes have no database): what their `stored:` addresses may load."""
    images = {}
    for template in templates:
        for name in (template.seal_image, template.signature_image):
            if name and name not in images:
                try:
                    images[name] = file_store.read(name, file_store.IMAGE,
                                                   limit=current_app.config["MAX_IMAGE_BYTES"])
                except NotFound:
                    log.warning("certificate template %s names a missing image", template.id)
    return images


def certificate_context(cert: Certificate, template: CertificateTemplate, *, qr: bool = True,
                        page: str | None = None) -> dict:
    """The placeholders for one certificate; `qr=False` leaves the QR image to `fill_qr` (in the
    process that renders the page); `page` is verify_page(), if the caller has it already."""
    url = verify_url(cert.code)
    return {
        "recipient_name": cert.recipient_name, "title": cert.title, "programme": cert.programme,
        "held_on": cert.held_on or "", "tier": cert.tier or "", "award": cert.award or "",
        "issue_date": f"{cert.issued_on.year}年{cert.issued_on.month}月{cert.issued_on.day}日",
        "issue_date_cn": date_cn(cert.issued_on), "serial": cert.serial, "code": cert.code,
        "verify_url": url, "verify_page": page or verify_page(), "qr": qr_data_uri(url) if qr else "",
        "issuer": cert.issuer_name,
        "signatory": template.signatory or "", "seal_url": upload_url(template.seal_image),
        "signature_url": upload_url(template.signature_image), "kind": cert.kind, "version": str(cert.version),
    }


def sample_context(template: CertificateTemplate) -> dict:
    """Values for the live preview of a template being edited."""
    today = date.today()
    url = "https://rencai.minhang.gov.cn/verify/EXAMPLE-CODE"
    return {
        "recipient_name": "张玥", "title": template.title or "结业证书",
        "programme": "2026年闵行区创业孵化营（第一期）", "held_on": "2026年5月18日",
        "tier": "创业孵化营", "award": "一等奖",
        "issue_date": f"{today.year}年{today.month}月{today.day}日", "issue_date_cn": date_cn(today),
        "serial": "MH-2026-JY-000123", "code": "EXAMPLE-CODE", "verify_url": url,
        "verify_page": "rencai.minhang.gov.cn/verify", "qr": qr_data_uri(url),
        "issuer": "上海市闵行区人力资源和社会保障局", "signatory": template.signatory or "",
        "seal_url": upload_url(template.seal_image), "signature_url": upload_url(template.signature_image),
        "kind": template.kind, "version": "1",
    }


def fill_qr(context: dict) -> dict:
    return dict(context, qr=context["qr"] or qr_data_uri(context["verify_url"]))


# -- the document ---------------------------------------------------------------
@dataclass(frozen=True)
class TemplateSpec:
    """What rendering needs of a template, as plain data: safe to send to another process
    (a database object could lazy-load there) and cheap to pickle."""
    id: int
    kind: str
    page_size: str
    html: str
    css: str

    @classmethod
    def of(cls, template) -> "TemplateSpec":
        if isinstance(template, cls):
            return template
        return cls(template.id or id(template), template.kind, template.page_size or "", template.html or "",
                   template.css or "")


@dataclass
class Page:
    template: CertificateTemplate | TemplateSpec
    body: str
    classes: str = ""  # more classes for its section (stamped layers, see batches)


def page_for(cert: Certificate, template: CertificateTemplate) -> Page:
    return Page(template, render_body(template, certificate_context(cert, template)))


def document_html(pages: Iterable[Page], css: str = "") -> str:
    """One HTML document, one page per certificate, in the given order. Each template gets a
    named @page (its own size) and its CSS once; rules are scoped by `.kind-<kind>`. `css`
    comes last."""
    pages = list(pages)
    styles, seen = [BASE_CSS], set()
    for page in pages:
        t = page.template
        key = t.id or id(t)
        if key in seen:
            continue
        seen.add(key)
        size = PAGE_SIZES.get(t.page_size, "A4 landscape")
        styles.append(f"@page tpl{key} {{ size: {size}; margin: 0; }}\n.template-{key} {{ page: tpl{key}; }}\n")
        styles.append(t.css or "")
    styles.append(css)
    body = "".join(
        f'<section class="certificate kind-{p.template.kind} template-{p.template.id or id(p.template)}'
        f'{" " + p.classes if p.classes else ""}">{p.body}</section>' for p in pages)
    return (f'<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><style>{"".join(styles)}</style>'
            f"</head><body>{body}</body></html>")


def _fetcher(images: dict[str, bytes] | None = None):
    """Resources a certificate may load: data: URIs and our stored images (`stored:<name>`: from
    `images` when given, else from the store). Nothing else: no network (offline venues) and no
    local file (a template is user input)."""
    from weasyprint.urls import URLFetcher, URLFetcherResponse  # lazy: WeasyPrint takes 0.4 s to import

    limit = None if images is not None else current_app.config["MAX_IMAGE_BYTES"]

    class CertificateFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            if url.startswith(PNG_DATA_URI):  # a QR code on every page: urllib takes ~1 ms
                return URLFetcherResponse(url, base64.b64decode(url[len(PNG_DATA_URI):]),
                                          {"Content-Type": "image/png"})
            if url.startswith("data:"):
                return super().fetch(url, headers)
            if url.startswith(STORED_SCHEME):
                name = url[len(STORED_SCHEME):]
                body = _stored_image(name, images, limit)
                if body is not None:
                    return URLFetcherResponse(url, body, {"Content-Type": file_store.content_type_of(name)})
            raise ValueError(f"resource not allowed in a certificate: {url[:80]}")

    return CertificateFetcher(allowed_protocols=("data", "stored"), allow_redirects=False)


def _stored_image(name: str, images: dict[str, bytes] | None, limit: int | None) -> bytes | None:
    if images is not None:
        return images.get(name)
    try:
        return file_store.read(name, file_store.IMAGE, limit=limit)
    except NotFound:
        return None


class _PageCounter(logging.Handler):
    """WeasyPrint logs each page it lays out; count this thread's to report progress."""

    def __init__(self, callback: Callable[[int], None]):
        super().__init__(logging.INFO)
        self.callback, self.thread = callback, threading.get_ident()

    def emit(self, record: logging.LogRecord) -> None:
        if record.thread == self.thread and record.msg.startswith("Step 5 - Creating layout - Page"):
            self.callback(int(record.args[0]) if record.args else 0)


def layout(html: str, on_page: Callable[[int], None] | None = None, *, images: dict[str, bytes] | None = None):
    """The laid-out WeasyPrint document (pages and boxes), and its parsed HTML."""
    from weasyprint import HTML  # lazy: WeasyPrint takes 0.4 s to import

    speedups.install()
    logger = logging.getLogger("weasyprint.progress")
    handler = _PageCounter(on_page) if on_page else None
    if handler:
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
    try:
        source = HTML(string=html, url_fetcher=_fetcher(images), base_url=None)
        return source.render(), source
    finally:
        if handler:
            logger.removeHandler(handler)


def write_pdf(html: str, on_page: Callable[[int], None] | None = None, *,
              images: dict[str, bytes] | None = None) -> bytes:
    document, _ = layout(html, on_page, images=images)
    return document.write_pdf()


def preview_pdf(template: CertificateTemplate) -> bytes:
    return write_pdf(document_html([Page(template, render_body(template, sample_context(template)))]))
