"""A certificate body as html.parser sees it: the elements in order (their index names them in
both renderings of a template), what each holds, and start tags rewritten in place.

Comparing two renderings token by token tells which elements differ; html.parser is used (not
the HTML5 parser WeasyPrint uses) because it gives each start tag's place in the source, so a
body can be rewritten without re-serialising it. `stamping.plan` checks that the two parsers
agree on the template before relying on this.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

VOID_TAGS = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


@dataclass
class Tag:
    name: str
    attrs: list[tuple[str, str | None]]
    start: int
    end: int
    close: tuple[int, int] | None = None  # where its end tag is, when it has one


@dataclass
class Tokens:
    """A template body as html.parser sees it: start tags in order (their index is the element's
    marker), a structure key, and each run of text with the index of the element holding it."""
    source: str
    tags: list[Tag] = field(default_factory=list)
    shape: list[tuple] = field(default_factory=list)
    texts: list[tuple[int | None, str]] = field(default_factory=list)

    def differing(self, other: "Tokens") -> set[int | None] | None:
        """Markers of the elements whose attributes or own text differ from `other`'s; None
        when the structures differ (then nothing can be said per element)."""
        if self.shape != other.shape:
            return None
        changed: set[int | None] = {i for i, (a, b) in enumerate(zip(self.tags, other.tags)) if a.attrs != b.attrs}
        changed |= {owner for (owner, a), (_, b) in zip(self.texts, other.texts) if a != b}
        return changed

    def own_text(self) -> dict[int | None, str]:
        out: dict[int | None, str] = {}
        for owner, text in self.texts:
            out[owner] = out.get(owner, "") + text
        return out

    def rewrite(self, attributes: dict[int, str], emptied: frozenset[int] = frozenset(),
                removed: frozenset[int] = frozenset()) -> str:
        """The source with an attribute added to some start tags (marker -> attribute text);
        the elements in `emptied` (that have an end tag) lose everything between their tags, and
        those in `removed` (void, or with an end tag) are left out altogether."""
        out, pos = [], 0
        for i in sorted(attributes.keys() | removed):
            tag = self.tags[i]
            if tag.start < pos:
                continue  # inside an emptied or removed element
            if i in removed and (tag.close or tag.name in VOID_TAGS):
                out.append(self.source[pos:tag.start])
                pos = tag.close[1] if tag.close else tag.end
                continue
            cut = tag.start + 1 + len(tag.name)  # just after "<name"
            out.append(self.source[pos:cut])
            out.append(f" {attributes[i]}")
            pos = cut
            if i in emptied and tag.close:
                out.append(self.source[pos:tag.end])
                pos = tag.close[0]
        out.append(self.source[pos:])
        return "".join(out)


class _Parser(HTMLParser):
    def __init__(self, tokens: Tokens):
        super().__init__(convert_charrefs=True)
        self.tokens, self.stack = tokens, []
        self.line_starts = [0] + [m.end() for m in re.finditer("\n", tokens.source)]

    def _offset(self) -> int:
        line, column = self.getpos()
        return self.line_starts[line - 1] + column

    def _tag(self, name: str, attrs, closed: bool) -> None:
        start = self._offset()
        raw = self.get_starttag_text() or ""
        index = len(self.tokens.tags)
        self.tokens.tags.append(Tag(name, attrs, start, start + len(raw)))
        self.tokens.shape.append(("<", name, tuple(a for a, _ in attrs)))
        if not closed and name not in VOID_TAGS:
            self.stack.append(index)

    def handle_starttag(self, tag, attrs):
        self._tag(tag, attrs, False)

    def handle_startendtag(self, tag, attrs):
        self._tag(tag, attrs, True)

    def handle_endtag(self, tag):
        self.tokens.shape.append(("/", tag))
        for depth in range(len(self.stack) - 1, -1, -1):
            if self.tokens.tags[self.stack[depth]].name == tag:
                start = self._offset()
                self.tokens.tags[self.stack[depth]].close = (start, self.tokens.source.find(">", start) + 1)
                del self.stack[depth:]
                break

    def _text(self, kind: str, text: str) -> None:
        self.tokens.shape.append((kind,))
        self.tokens.texts.append((self.stack[-1] if self.stack else None, text))

    def handle_data(self, data):
        self._text("#", data)

    def handle_comment(self, data):
        self._text("!", data)

    def handle_decl(self, decl):
        self._text("?", decl)

    def handle_pi(self, data):
        self._text("?", data)

    def unknown_decl(self, data):
        self._text("?", data)


def tokenize(source: str) -> Tokens:
    tokens = Tokens(source)
    parser = _Parser(tokens)
    parser.feed(source)
    parser.close()
    return tokens
