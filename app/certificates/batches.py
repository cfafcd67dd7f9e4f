"""One print-ready PDF of many certificates, in order, fast enough for a thousand the night before.

WeasyPrint lays pages out in pure Python, ~30 ms of CPU a certificate. Two things bring a
batch down (bench/certificates.py measures them):

- Stamping (`stamping`): a group of certificates sharing a template and every field but the
  recipient's own is laid out once as a background; per certificate only the blocks that hold
  the name, serial and QR code are laid out (SHEET of them together on one page, then cut into
  a page each), and the background is drawn under each of those pages as one shared form
  XObject.
- Chunks, in parallel, streamed: the batch is split into chunks of at most CHUNK_PAGES, each
  rendered as ONE WeasyPrint document (each font subset and embedded once per chunk) by one of
  CERTIFICATE_PRINT_PROCESSES worker processes (default: one per CPU core), and each chunk's
  PDF is appended to the output in order as it comes (pikepdf). No process holds more than one
  chunk's layout: 10,000 certificates print in bounded memory.
"""
from __future__ import annotations

import contextlib
import gc
import io
import logging
import math
import multiprocessing
import os
import queue as queues
import shutil
import tempfile
import threading
import time
import zipfile
from dataclasses import dataclass, field
from multiprocessing import forkserver
from typing import BinaryIO, Callable

from flask import current_app

from app.certificates import pdfjoin, rendering, stamping, tokens
from app.certificates.models import Certificate
from app.certificates.rendering import Page, TemplateSpec
from app.certificates.services import template_for

log = logging.getLogger(__name__)
# Below this many pages per process, forking costs more than it saves.
MIN_PAGES_PER_PROCESS = 12


class RenderError(RuntimeError):
    """A chunk failed in its process (the message names the exception there)."""


@dataclass
class Item:
    """One certificate to print, as plain data (safe to send to another process)."""
    spec: TemplateSpec
    context: dict  # without the QR image: each process draws its own
    group: int | None = None  # the stamping plan it prints with, if any


@dataclass
class Part:
    """A chunk's PDF: first the backgrounds it was given to draw (group -> page index), then its
    certificates, with per page the stamping group whose background goes under it."""
    pdf: bytes
    groups: list[int | None]
    backgrounds: dict[int, int] = field(default_factory=dict)


def print_processes(pages: int) -> int:
    """How many processes render a batch of this size: CERTIFICATE_PRINT_PROCESSES (default:
    the CPU cores, at most 4; 1 renders in this process), never under MIN_PAGES_PER_PROCESS each."""
    configured = current_app.config.get("CERTIFICATE_PRINT_PROCESSES") or min(os.cpu_count() or 1, 4)
    return max(1, min(int(configured), pages // MIN_PAGES_PER_PROCESS))


# -- stamping plans (in this process, before the chunks fork) -------------------------
def plan_groups(items: list[Item], images: dict[str, bytes]) -> tuple[dict[int, stamping.Plan], dict]:
    """Plans and backgrounds (a laid-out WeasyPrint page with its document) for the groups worth
    stamping; sets `item.group` on their items."""
    groups: dict[tuple, list[Item]] = {}
    for item in items:
        groups.setdefault(stamping.group_key(item.spec.id, item.context), []).append(item)
    plans, backgrounds = {}, {}
    for members in groups.values():
        if len(members) < stamping.MIN_GROUP:
            continue
        try:
            plan, background = _plan(members[0], images)
        except stamping.Unstampable as exc:
            log.info("certificates of template %s print whole: %s", members[0].spec.id, exc)
            continue
        except Exception:  # noqa: BLE001 - planning only saves time; printing whole shows any real error
            log.exception("stamping plan failed for template %s; printing whole", members[0].spec.id)
            continue
        plans[len(plans)] = plan
        backgrounds[len(backgrounds)] = background
        for item in members:
            item.group = len(plans) - 1
    return plans, backgrounds


def _plan(item: Item, images: dict[str, bytes]) -> tuple[stamping.Plan, object]:
    spec = item.spec
    stamping.check_css(spec.css, spec.html)
    sample_context = rendering.fill_qr(item.context)
    sample = tokens.tokenize(rendering.render_body(spec, sample_context))
    probe_context = stamping.probe_context(sample_context, rendering.qr_data_uri)
    probe = tokens.tokenize(rendering.render_body(spec, probe_context))
    html = rendering.document_html([Page(spec, stamping.marked(sample))])
    document, source = rendering.layout(html, images=images)
    plan = stamping.plan(sample, probe, document, source.etree_element, spec.css)
    return plan, (document, stamping.background(document, plan))


# -- chunks -----------------------------------------------------------------------
# Stamped layers laid out together on one page (they overlap: each is absolutely placed), then
# cut into a page each: WeasyPrint's fixed cost per page (page styles, 16 margin boxes) is paid
# once per sheet instead of once per certificate.
SHEET = 50
# Layers are placed from the page's corner, whatever a template does to html or body.
SHEET_CSS = ("section.certificate.sheet-end { break-after: page !important }\n"
             "html, body { position: static !important; transform: none !important }")


class _Progress:
    """Pages done in this chunk, from WeasyPrint's per-page log lines of its two layouts."""

    def __init__(self, on_page: Callable[[int], None] | None):
        self.on_page, self.base, self.done = on_page, 0, 0

    def sheets(self, sheet: int, total: int) -> None:  # WeasyPrint logs a page as it starts it
        self._report(min((sheet - 1) * SHEET, total))

    def pages(self, page: int) -> None:
        self._report(self.base + page)

    def finished(self, pages: int) -> None:
        self._report(pages)

    def _report(self, done: int) -> None:
        if self.on_page and done > self.done:  # a second layout must not move the bar backwards
            self.done = done
            self.on_page(done)


def _cut(document, plans: dict[int, stamping.Plan], groups: list[int]) -> list | None:
    """The sheets of `document` cut into one WeasyPrint page per stamped certificate, each None
    where its layer did not come out like the sample; None if the sheets do not hold them all."""
    from weasyprint.document import Page as LaidOutPage  # lazy: WeasyPrint takes 0.4 s to import

    out = []
    for sheet in document.pages:
        page_box = sheet._page_box
        html = page_box.children[0]
        body = html.children[0]
        for section in body.children:
            if len(out) == len(groups):
                return None
            if not plans[groups[len(out)]].fits(section):
                out.append(None)
                continue
            tree = page_box.copy_with_children(
                [html.copy_with_children([body.copy_with_children([section])]), *page_box.children[1:]])
            out.append(LaidOutPage(tree))
    return out if len(out) == len(groups) else None


def render_chunk(items: list[Item], plans: dict[int, stamping.Plan], on_page: Callable[[int], None] | None,
                 images: dict[str, bytes], backgrounds: dict | None = None) -> Part:
    """One chunk as one PDF: stamped certificates as their variable layer (laid out in sheets,
    see SHEET), the others whole. A layer that does not come out like the sample is printed whole.
    `backgrounds` (group -> laid-out page, with its document) are drawn first, in the same PDF:
    their fonts are then subset together with the chunk's (~50 ms a font and document)."""
    backgrounds = backgrounds or {}
    bodies = [rendering.render_body(item.spec, rendering.fill_qr(item.context)) for item in items]
    layers = [plans[item.group].layer(body) if item.group is not None else None for item, body in zip(items, bodies)]
    stamped = [n for n, layer in enumerate(layers) if layer is not None]
    progress = _Progress(on_page)
    pages: list = [None] * len(items)
    groups: list[int | None] = [None] * len(items)
    documents = []
    if stamped:
        sheets = [Page(items[n].spec, layers[n], f"stamp-{items[n].group}"
                       + (" sheet-end" if i % SHEET == SHEET - 1 else "")) for i, n in enumerate(stamped)]
        css = "\n".join([plans[g].css(g) for g in sorted({items[n].group for n in stamped})] + [SHEET_CSS])
        document, _ = rendering.layout(rendering.document_html(sheets, css),
                                       lambda sheet: progress.sheets(sheet, len(stamped)), images=images)
        cut = _cut(document, plans, [items[n].group for n in stamped])
        if cut is not None:
            documents.append(document)
            for n, page in zip(stamped, cut):
                pages[n], groups[n] = page, (items[n].group if page is not None else None)
    whole = [n for n in range(len(items)) if pages[n] is None]
    if whole:
        progress.base = len(items) - len(whole)
        document, _ = rendering.layout(rendering.document_html([Page(items[n].spec, bodies[n]) for n in whole]),
                                       progress.pages, images=images)
        if len(document.pages) != len(whole):  # a certificate ran over a page: print them all whole
            if len(whole) < len(items):
                progress.base = 0
                everything = rendering.document_html([Page(item.spec, body) for item, body in zip(items, bodies)])
                document, _ = rendering.layout(everything, progress.pages, images=images)
            documents, pages, groups = [document], document.pages, [None] * len(document.pages)
        else:
            documents.append(document)
            for n, page in zip(whole, document.pages):
                pages[n] = page
    pdf = documents[0].copy([page for _, page in backgrounds.values()] + list(pages)).write_pdf()
    progress.finished(len(items))
    return Part(pdf, groups, {group: n for n, group in enumerate(backgrounds)})


# -- a batch, chunk by chunk ----------------------------------------------------------
# Pages per WeasyPrint document. A document's layout is held whole until its PDF is written
# (~0.4 MB a page: 5,000 pages a process took 1.1 GB), so a batch is rendered in chunks of at most
# this many, one chunk at a time per process, each chunk's PDF appended to the output as it comes;
# fonts are subset once per chunk (~0.1 s), which is why chunks are not smaller.
CHUNK_PAGES = 250


def _worker(tasks, results, plans: dict, images: dict[str, bytes], backgrounds: dict | None, folder: str,
            singles: bool = False) -> None:
    """In a child process: chunks (n, items) from `tasks` until None, each written to `folder` as
    a PDF (or, `singles`, as one PDF per certificate); progress, the files and any failure go back
    through `results`. The backgrounds (forked only: laid-out pages cannot be sent) go into chunk 0."""
    _collect_less()
    while (task := tasks.get()) is not None:
        gc.collect()  # the last chunk's layout, freed at once: the process holds one chunk at a time
        n, items = task
        try:
            if singles:
                paths = []
                for i, item in enumerate(items):
                    paths.append(_write(folder, f"{n}-{i}", render_chunk([item], {}, None, images).pdf))
                    results.put(("page", n, i + 1))
                results.put(("pdf", n, paths))
                continue
            part = render_chunk(items, plans, lambda done, n=n: results.put(("page", n, done)), images,
                                backgrounds if n == 0 else None)
            results.put(("pdf", n, (_write(folder, str(n), part.pdf), part.groups, part.backgrounds)))
        except BaseException as exc:  # noqa: BLE001 - reported to the parent, which raises
            results.put(("error", n, f"{type(exc).__name__}: {exc}"[:500]))
            return


# Allocations between young collections in a rendering process (Python's default: 700). A
# chunk's layout allocates millions of objects that live until its PDF is written, so the
# default collects ~400 times a chunk, and the older generations, holding the whole layout,
# several times: 20-35% of a chunk's CPU. With this, ~30 a chunk and ~5% (the memory is
# the same: a chunk's garbage is collected after it, see _worker).
GC_THRESHOLD = (10_000, 10, 10)


def _collect_less() -> None:
    """In a rendering process (never the web process): what it inherited (modules, fonts) is
    moved out of the collector's sight (gc.freeze), and young collections run less often."""
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLD)


def _write(folder: str, name: str, pdf: bytes) -> str:
    path = os.path.join(folder, f"chunk-{name}.pdf")
    with open(path, "wb") as file:
        file.write(pdf)
    return path


def _context(clean: bool = False):
    """`fork` (cheap: the child inherits loaded fonts and modules) when this process runs one
    thread, as the CLI and an RQ work horse do; `forkserver` otherwise (a web process running a
    batch in a thread), because forking a threaded process can copy a lock another thread held,
    and when `clean` (workers that live for many chunks): a forked child carries this process's
    memory (the batch's rows, the stamping layout), counted in its own."""
    if not clean and threading.active_count() == 1 and "fork" in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("fork")
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    ctx = multiprocessing.get_context("forkserver")
    ctx.set_forkserver_preload(["app.certificates.batches", "weasyprint"])  # once per server
    return ctx


def _start_early(pages: int, processes: int) -> None:
    """Start the forkserver (and its import of WeasyPrint, ~2 s of CPU) now, on the other core,
    while this process builds the contexts and plans, when the batch will need one: otherwise its
    workers' first `start()` would wait for that import with everything else done."""
    chunks = math.ceil(pages / _chunk_size(pages, processes)) if pages else 0
    if processes > 1 and chunks > 1 and _context(clean=chunks > processes).get_start_method() == "forkserver":
        forkserver.ensure_running()


def _in_processes(chunks: list[list[Item]], plans: dict, processes: int, images: dict[str, bytes],
                  backgrounds: dict, folder: str, on_chunk: Callable[[object], None],
                  on_page: Callable[[int], None] | None, *, singles: bool = False,
                  on_backgrounds: Callable[[dict], None] | None = None) -> None:
    """`processes` workers render the chunks into files in `folder`; `on_chunk` gets each chunk's
    result (see _worker) as soon as all before it have had theirs, so neither the workers nor this
    process ever hold the batch. Without fork, `on_backgrounds` gets the backgrounds as PDFs."""
    ctx = _context(clean=len(chunks) > processes)
    forked = ctx.get_start_method() == "fork"
    if not forked and backgrounds and on_backgrounds:
        on_backgrounds({group: document.copy([page]).write_pdf() for group, (document, page) in backgrounds.items()})
    tasks, results = ctx.Queue(), ctx.Queue()
    done = [0] * len(chunks)
    ready: dict[int, object] = {}
    handed = 0
    workers = [ctx.Process(target=_worker, args=(tasks, results, plans, images,
                                                  backgrounds if forked else None, folder, singles),
                           daemon=True, name=f"certificates-{n}") for n in range(min(processes, len(chunks)))]
    try:
        for worker in workers:
            worker.start()
        for n, chunk in enumerate(chunks):
            tasks.put((n, chunk))
        for _ in workers:
            tasks.put(None)
        while handed < len(chunks):
            try:
                kind, n, value = results.get(timeout=5)
            except queues.Empty:
                if any(not w.is_alive() and w.exitcode != 0 for w in workers):
                    raise RenderError("a certificate rendering process died") from None
                continue
            if kind == "error":
                raise RenderError(value)
            if kind == "page":
                done[n] = min(value, len(chunks[n]))
            else:
                ready[n], done[n] = value, len(chunks[n])
                while handed in ready:
                    on_chunk(ready.pop(handed))
                    handed += 1
            if on_page:
                on_page(sum(done))
    finally:
        for worker in workers:
            worker.join(timeout=10)
            if worker.is_alive():
                worker.kill()
                worker.join()
        tasks.close()
        results.close()


def _items(certs: list[Certificate]) -> tuple[list[Item], dict[str, bytes]]:
    """Each certificate as plain data, with the template version it prints with, and the images."""
    templates: dict[tuple, object] = {}  # template_for looks the current versions up each time
    specs: dict[int, TemplateSpec] = {}
    page = rendering.verify_page()
    items = []
    for cert in certs:
        key = (cert.template_version_id, cert.template_id, cert.kind)
        template = templates.get(key) or templates.setdefault(key, template_for(cert))
        spec = specs.get(id(template)) or specs.setdefault(id(template), TemplateSpec.of(template))
        items.append(Item(spec, rendering.certificate_context(cert, template, qr=False, page=page)))
    images = rendering.stored_images(template for template in templates.values() if template is not None)
    return items, images


def _chunk_size(pages: int, processes: int) -> int:
    return max(1, min(CHUNK_PAGES, math.ceil(pages / processes)))


def _chunks(items: list[Item], processes: int) -> list[list[Item]]:
    size = _chunk_size(len(items), processes)
    return [items[i:i + size] for i in range(0, len(items), size)]


def write_pdf(out: BinaryIO, certs: list[Certificate], on_page: Callable[[int], None] | None = None,
              *, timings: dict | None = None) -> None:
    """One print-ready PDF of `certs` in order, written to `out`: in chunks of at most CHUNK_PAGES,
    in processes (print_processes), merged in order as they come. `on_page(n)` reports pages done
    so far; `timings`, if given, gets seconds per phase and how many pages were stamped."""
    t0 = time.perf_counter()
    processes = print_processes(len(certs))
    _start_early(len(certs), processes)
    items, images = _items(certs)
    t1 = time.perf_counter()
    plans, backgrounds = plan_groups(items, images)
    t2 = time.perf_counter()
    chunks = _chunks(items, processes)
    stamped = 0
    if processes == 1 and len(chunks) == 1 and not backgrounds:
        out.write(render_chunk(items, plans, on_page, images).pdf)  # nothing to merge or draw under
        t3 = time.perf_counter()
    else:
        with tempfile.TemporaryDirectory(prefix="certificates-") as folder:
            # A batch of one or a few chunks is joined here; a big one in a process of its own.
            merger = pdfjoin.Joiner() if len(chunks) > processes else pdfjoin.Merger()
            with contextlib.closing(merger):
                if processes == 1:
                    done = 0
                    for n, chunk in enumerate(chunks):
                        progress = (lambda pages, base=done: on_page(base + pages)) if on_page else None
                        part = render_chunk(chunk, plans, progress, images, backgrounds if n == 0 else None)
                        merger.add(_write(folder, str(n), part.pdf), part.groups, part.backgrounds)
                        done += len(chunk)
                else:
                    _in_processes(chunks, plans, processes, images, backgrounds, folder,
                                  lambda chunk: merger.add(*chunk), on_page,
                                  on_backgrounds=lambda printed: merger.add_backgrounds(
                                      {g: _write(folder, f"background-{g}", pdf) for g, pdf in printed.items()}))
                t3 = time.perf_counter()
                joined = os.path.join(folder, "joined.pdf")
                merger.save(joined)  # while the chunks' files are there: qpdf reads their streams now
                with open(joined, "rb") as file:
                    shutil.copyfileobj(file, out, 1 << 20)
            stamped = merger.stamped
    if timings is not None:
        timings.update({"prepare": t1 - t0, "plan": t2 - t1, "render": t3 - t2, "join": time.perf_counter() - t3,
                        "processes": processes, "stamped": stamped, "chunks": len(chunks)})


def write_zip(archive: zipfile.ZipFile, certs: list[Certificate], on_page: Callable[[int], None] | None = None) -> None:
    """One PDF per certificate (fonts subset to its own text), named by serial, added to `archive`
    in order; rendered in the worker processes a chunk at a time, each file added and deleted as
    its chunk comes."""
    items, images = _items(certs)
    processes = print_processes(len(items))
    names = iter(f"{cert.serial}.pdf" for cert in certs)
    if processes == 1:
        for n, item in enumerate(items, 1):
            archive.writestr(next(names), render_chunk([item], {}, None, images).pdf)
            if on_page:
                on_page(n)
        return

    def add(paths: list[str]) -> None:
        for path in paths:
            archive.write(path, next(names))
            os.remove(path)

    with tempfile.TemporaryDirectory(prefix="certificates-") as folder:
        _in_processes(_chunks(items, processes), {}, processes, images, {}, folder, add, on_page, singles=True)


def certificates_pdf(certs: list[Certificate], on_page: Callable[[int], None] | None = None,
                     *, timings: dict | None = None) -> bytes:
    """`write_pdf` into memory: for one certificate or a few (a download, a test)."""
    out = io.BytesIO()
    write_pdf(out, certs, on_page, timings=timings)
    return out.getvalue()
