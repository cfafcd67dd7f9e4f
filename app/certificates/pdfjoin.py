"""Joining a batch's chunk PDFs into one, in order, each stamped page drawn over its group's
background (one form XObject per group, shared by its pages).

qpdf holds ~20 KB per page joined until the file is saved (10,000 pages: ~200 MB), so a big batch
is joined in a process of its own that imports nothing but pikepdf (`Joiner.start`: this file run
as a script, fed one JSON line per chunk), never in the process that holds the batch's rows and
WeasyPrint's fonts. Standard library and pikepdf only: nothing of the app is imported here.
"""
from __future__ import annotations

import io
import json
import subprocess
import sys
from typing import BinaryIO


class Merger:
    """Chunk PDFs appended in order to one document. qpdf copies a chunk's pages as references
    and reads their streams only while saving, so the sources stay open till then."""

    def __init__(self):
        import pikepdf  # lazy: import time, only when a batch is printed

        self.pikepdf = pikepdf
        self.out = pikepdf.Pdf.new()
        self.sources: list = []
        self.backgrounds: dict[int, object] = {}
        self.drawn: dict[int, tuple] = {}
        self.stamped = 0

    def add_backgrounds(self, printed: dict[int, bytes | str]) -> None:
        """group -> a PDF (bytes or a path) whose first page is that group's background."""
        for group, pdf in printed.items():
            self.sources.append(self.pikepdf.open(io.BytesIO(pdf) if isinstance(pdf, bytes) else pdf))
            self.backgrounds[int(group)] = self.sources[-1].pages[0]

    def add(self, source, groups: list[int | None], backgrounds: dict[int, int]) -> None:
        """`source`: a chunk's PDF (a path or bytes) whose first pages are the `backgrounds` it drew."""
        pdf = self.pikepdf.open(io.BytesIO(source) if isinstance(source, bytes) else source)
        self.sources.append(pdf)
        self.backgrounds |= {int(group): pdf.pages[n] for group, n in backgrounds.items()}
        # Not `out.pages.extend`: qpdf lists the whole page tree again for each page inserted and
        # pikepdf for each page read back, so a 10,000-page batch took ~10 s of CPU, quadratic.
        # Pages copied one by one share the chunk's fonts and resources (one copy per source).
        tree = self.out.Root.Pages
        pages = list(pdf.pages)[len(backgrounds):]
        for source_page, group in zip(pages, [*groups, *[None] * (len(pages) - len(groups))]):
            # pikepdf's page list has put on each page what it inherited; qpdf leaves /Parent out
            page = self.out.copy_foreign(source_page.obj)
            page.Parent = tree
            tree.Kids.append(page)
            if group is not None:
                self._draw(self.pikepdf.Page(page), group)
                self.stamped += 1
        tree.Count = len(tree.Kids)

    def _draw(self, page, group: int) -> None:
        if group not in self.drawn:
            name = self.pikepdf.Name(f"/CertificateBackground{group}")
            self.drawn[group] = (self.out.copy_foreign(self.backgrounds[group].as_form_xobject()), name,
                                 self.out.make_stream(f"q {name} Do Q\n".encode("ascii")))
        form, name, draw = self.drawn[group]
        page.add_resource(form, self.pikepdf.Name.XObject, name)
        page.contents_add(draw, prepend=True)

    def save(self, out: BinaryIO | str) -> None:
        self.out.save(out)

    def close(self) -> None:
        for source in self.sources:
            source.close()
        self.sources = []


class Joiner:
    """A Merger in a process of its own: the same calls, with paths, sent as JSON lines."""

    def __init__(self):
        self.process = subprocess.Popen([sys.executable, __file__], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        text=True)
        self.stamped = 0

    def _send(self, **message) -> None:
        self.process.stdin.write(json.dumps(message) + "\n")
        self.process.stdin.flush()

    def add_backgrounds(self, printed: dict[int, str]) -> None:
        self._send(backgrounds=printed)

    def add(self, path: str, groups: list[int | None], backgrounds: dict[int, int]) -> None:
        self._send(add=path, groups=groups, drawn=backgrounds)

    def save(self, path: str) -> None:
        """Joined into the file at `path`; raises if the joining process failed."""
        self._send(save=path)
        self.process.stdin.close()
        answer = self.process.stdout.read()
        if self.process.wait() != 0 or not answer.startswith("saved "):
            raise RuntimeError(f"joining the chunks failed ({self.process.returncode})")
        self.stamped = int(answer.split()[1])

    def close(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()


def _serve() -> None:
    merger = Merger()
    for line in sys.stdin:
        message = json.loads(line)
        if "backgrounds" in message:
            merger.add_backgrounds(message["backgrounds"])
        elif "add" in message:
            merger.add(message["add"], message["groups"], message["drawn"])
        elif "save" in message:
            merger.save(message["save"])
            merger.close()
            print(f"saved {merger.stamped}", flush=True)
            return


if __name__ == "__main__":
    _serve()
