"""Stamped batches: lay a template out once, and per certificate print only what differs.

WeasyPrint spends ~30 ms of CPU on a certificate page, nearly all of it laying out boxes that
are the same on every certificate of a batch: the frame, the title, the body text, the issuer's
block, the seal. For a group of certificates that share a template and every field except the
recipient's own (name, serial, code, link, QR code), this module

1. renders the group's first certificate (the sample) and a probe that differs from it in only
   those fields, and compares the two HTML bodies token by token: the elements whose text or
   attributes differ are the variable ones;
2. lays the sample out once and widens each variable element to the nearest block whose size
   and place cannot depend on its content (a block in normal flow, or a positioned box of fixed
   width, with no shrink-to-fit box, flex or table around it). The group is printed whole, not
   stamped, when that block is the page itself, when other visible content overlaps it, or when
   the CSS uses things that differ per page (page counters, margin boxes, running elements);
3. prints the background once: the sample with the variable blocks hidden (hidden boxes keep
   their place, so nothing else moves);
4. per certificate, lays out only its variable blocks, each pinned where the sample had it. The
   rest of the DOM stays (for selectors and inherited styles) but generates no boxes;
5. checks every certificate: its HTML must have the sample's structure and differ only inside
   variable blocks, and each block must come out with the sample's height. Otherwise it is
   printed whole.

`rendering` then draws the background as a form XObject under each stamped page.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property
from html.parser import HTMLParser

# The fields that differ from one recipient to the next within a batch.
PER_RECIPIENT = ("recipient_name", "serial", "code", "verify_url", "qr")
# Below this many certificates in a group, planning (two extra layouts) costs more than it saves.
MIN_GROUP = 8
# CSS that makes a page depend on its neighbours or on its number: never stamped.
UNSTAMPABLE_CSS = re.compile(
    r"counter\s*\(|counters\s*\(|counter-(?:increment|reset|set)|string-set|string\s*\(|running\s*\(|"
    r"element\s*\(|target-(?:counter|text)|@(?:top|bottom|left|right)-|footnote|first-line|first-letter|"
    r"bookmark-|leader\s*\(|!\s*important|:has\(",
    re.IGNORECASE)
# Selectors whose match depends on an element's siblings (or would, for lack of a parser here).
SIBLING_CSS = re.compile(r"[+~]|:(?:first|last|nth|only|empty|not|is|where|has)\b", re.IGNORECASE)
# Elements that would change the document itself rather than add to the certificate's body.
DOCUMENT_TAGS = {"html", "head", "body", "frameset", "frame", "base", "meta", "link", "template"}
VOID_TAGS = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
# Ancestors of a variable block keep their styles for inheritance but draw and occupy nothing.
NEUTRAL_BOX = ("display:block!important;position:static!important;float:none!important;margin:0!important;"
           "padding:0!important;border:0 none!important;outline:none!important;background:none!important;"
           "box-shadow:none!important;width:auto!important;height:auto!important;min-width:0!important;"
           "max-width:none!important;min-height:0!important;max-height:none!important;"
           "overflow:visible!important;transform:none!important;visibility:hidden!important;"
           "columns:auto!important")
TOLERANCE = 0.01  # CSS px


# -- HTML tokens ------------------------------------------------------------------
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


# -- the probe --------------------------------------------------------------------
def _other(text: str) -> str:
    """A different string of the same length and kind (digits stay digits, Han stays Han)."""
    out = []
    for ch in text:
        if ch.isdigit():
            out.append(str((int(ch) + 1) % 10) if ch.isascii() else ch)
        elif ch.isascii() and ch.isalpha():
            base = "a" if ch.islower() else "A"
            out.append(chr((ord(ch) - ord(base) + 1) % 26 + ord(base)))
        elif "\u4e00" <= ch <= "\u9fff" or ch == "〇":
            out.append("一" if ch != "一" else "二")
        else:
            out.append(ch)
    return "".join(out)


def probe_context(context: dict, qr_data_uri) -> dict:
    """The sample's context with every per-recipient field changed, nothing else."""
    probe = dict(context)
    for key in ("recipient_name", "serial", "code"):
        probe[key] = _other(context[key])
    url = context["verify_url"]
    probe["verify_url"] = url.replace(context["code"], probe["code"]) if context["code"] in url else _other(url)
    probe["qr"] = qr_data_uri(probe["verify_url"])
    return probe


def group_key(spec_id, context: dict) -> tuple:
    """Certificates stamp from one background when their template and shared fields agree."""
    return (spec_id,) + tuple(sorted((k, v) for k, v in context.items() if k not in PER_RECIPIENT))


# -- the plan ---------------------------------------------------------------------
@dataclass(frozen=True)
class Placement:
    """Where the sample had a variable block: its border box, and what it must keep."""
    left: float
    top: float
    width: float
    padding: tuple[float, float, float, float]
    border_height: float
    content_height: float | None  # set when the CSS fixes the height
    min_height: float
    max_height: float | None
    visibility: str

    def declarations(self) -> str:
        t, r, b, left = (_px(v) for v in self.padding)
        css = (f"position:absolute!important;left:{_px(self.left)}!important;top:{_px(self.top)}!important;"
               f"right:auto!important;bottom:auto!important;margin:0!important;float:none!important;"
               f"box-sizing:content-box!important;width:{_px(self.width)}!important;min-width:0!important;"
               f"max-width:none!important;padding:{t} {r} {b} {left}!important;"
               f"min-height:{_px(self.min_height)}!important;visibility:{self.visibility}!important;"
               f"max-height:{'none' if self.max_height is None else _px(self.max_height)}!important")
        if self.content_height is not None:
            css += f";height:{_px(self.content_height)}!important"
        return css


def _px(value: float) -> str:
    return f"{value:.10f}px"  # as measured: a glyph exactly on a pixel edge must not move to the next


@dataclass(frozen=True)
class Plan:
    """How a group prints: what is sent to the rendering processes (plain data)."""
    sample: Tokens
    units: dict[int, Placement]
    ancestors: frozenset[int]
    inside: frozenset[int]  # units and everything in them: the only elements that may differ
    obstacles: tuple[tuple[float, float, float, float], ...] = ()  # static ink next to the blocks
    structural: bool = True  # the CSS has selectors that depend on siblings (see SIBLING_CSS)

    def css(self, group: int) -> str:
        """The rules that turn a certificate's body into its layer, for sections of class
        `stamp-<group>` (author rules with !important are refused, see check_css)."""
        scope = f"section.stamp-{group}"
        # 1px high: an empty section would let margins collapse through it, and WeasyPrint then
        # collapses each section of a sheet with all those before it (quadratic).
        rules = [f"{scope} {{{NEUTRAL_BOX.replace('display:block!important;', '')};break-after:auto!important;"
                 f"height:1px!important}}",
                 f"{scope} [data-stamp-off] {{display:none!important}}",
                 f"{scope} [data-stamp-around] {{{NEUTRAL_BOX}}}"]
        rules += [f'{scope} [data-stamp="{marker}"] {{{unit.declarations()}}}' for marker, unit in self.units.items()]
        return "\n".join(rules)

    def attributes(self) -> dict[int, str]:
        out = {}
        for i in range(len(self.sample.tags)):
            if i in self.units:
                out[i] = f'data-stamp="{i}"'
            elif i in self.ancestors:
                out[i] = "data-stamp-around"
            elif i not in self.inside:
                out[i] = "data-stamp-off"
        return out

    def layer(self, body: str) -> str | None:
        """The variable layer of one certificate's body, or None if it must be printed whole."""
        tokens = tokenize(body)
        changed = tokens.differing(self.sample)
        if changed is None or not changed <= self.inside:
            return None
        if self.structural:
            return tokens.rewrite(self._attributes, self._off)
        return tokens.rewrite(self._attributes, removed=self._off)

    @cached_property
    def _attributes(self) -> dict[int, str]:
        return self.attributes()

    @cached_property
    def _off(self) -> frozenset[int]:
        """Elements that generate no box in a layer: left out (they only cost parsing and styles);
        where the CSS has selectors that count siblings, they stay, empty, so those match as in
        the sample."""
        return frozenset(i for i, attribute in self._attributes.items() if attribute == "data-stamp-off")

    def fits(self, page_box) -> bool:
        """Did every variable block of a laid-out layer come out with the sample's height, and
        keep its ink off the background's?"""
        found: dict[int, list] = {}
        for box in _boxes(page_box):
            marker = _marker(box)
            if marker in self.units and not _anonymous(box):
                found.setdefault(marker, []).append(box)
        if not all(len(found.get(marker, ())) == 1
                   and abs(found[marker][0].border_height() - unit.border_height) <= TOLERANCE
                   for marker, unit in self.units.items()):
            return False
        return not _collides([boxes[0] for boxes in found.values()], self.obstacles)


class Unstampable(Exception):
    """This group prints whole (the reason is for logs and tests)."""


def _boxes(box, parent=None, parents=None):
    """Every box of a laid-out page, depth first; fills `parents` (id -> parent box) if given."""
    box = getattr(box, "_box", box)  # an absolutely positioned box stands in the tree as a placeholder
    if parents is not None:
        parents[id(box)] = parent
    yield box
    for child in getattr(box, "children", ()):
        yield from _boxes(child, box, parents)


def _marker(box) -> int | None:
    element = getattr(box, "element", None)
    value = element.get("data-stamp") if element is not None and hasattr(element, "get") else None
    return int(value) if value is not None and value.isdigit() else None


def _anonymous(box) -> bool:
    from weasyprint.css import AnonymousStyle

    return isinstance(box.style, AnonymousStyle)


def _content_sized(box, parent) -> bool:
    """Would this box's width or place follow its content (so a longer name moves things)?"""
    from weasyprint.formatting_structure import boxes as b

    if isinstance(box, (b.InlineLevelBox, b.TableBox, b.TableCellBox, b.TableRowBox, b.TableRowGroupBox)):
        return True
    if box.is_floated() or box.is_running():
        return True
    if box.is_absolutely_positioned() and box.style["width"] == "auto":
        return True
    if isinstance(parent, (b.FlexContainerBox, b.GridContainerBox, b.InlineBox, b.LineBox)):
        return True
    return bool(box.style["transform"])


def _candidate(box, parent) -> bool:
    from weasyprint.formatting_structure import boxes as b

    if type(box) not in (b.BlockBox, b.BlockReplacedBox, b.FlexBox, b.GridBox):
        return False
    if isinstance(box, b.ReplacedBox) and box.style["width"] == "auto" and box.style["height"] == "auto":
        return False  # its size is the image's own
    return not _content_sized(box, parent)


def _paints(box) -> bool:
    """Does this box itself put ink on the page (text, image, background or border)?"""
    from weasyprint.formatting_structure import boxes as b

    if box.style["visibility"] != "visible":
        return False
    if isinstance(box, b.TextBox):
        return bool(box.text.strip())
    if isinstance(box, b.ReplacedBox):
        return True
    background = getattr(box, "background", None)
    if background is not None and (background.color.alpha or any(layer.image for layer in background.layers)):
        return True
    return any(getattr(box, f"border_{side}_width", 0) for side in ("top", "right", "bottom", "left"))


def _rect(box) -> tuple[float, float, float, float]:
    x, y = box.border_box_x(), box.border_box_y()
    return x, y, x + box.border_width(), y + box.border_height()


def _collides(blocks, obstacles) -> bool:
    """Does anything the blocks paint overlap one of the obstacles?"""
    return bool(obstacles) and any(_paints(box) and any(_overlap(_rect(box), o) for o in obstacles)
                                   for block in blocks for box in _boxes(block))


def _overlap(a, b) -> bool:
    return (a[0] < b[2] - TOLERANCE and b[0] < a[2] - TOLERANCE
            and a[1] < b[3] - TOLERANCE and b[1] < a[3] - TOLERANCE)


class _Layout:
    """The sample's boxes and DOM, indexed by marker."""

    def __init__(self, document, etree_root):
        self.page_box = document.pages[0]._page_box
        self.parents: dict[int, object] = {}
        self.boxes = list(_boxes(self.page_box, None, self.parents))
        self.principal: dict[int, list] = {}
        for box in self.boxes:
            marker = _marker(box)
            if marker is not None and not _anonymous(box):
                self.principal.setdefault(marker, []).append(box)
        self.elements: dict[int, object] = {}
        for element in etree_root.iter():
            marker = element.get("data-stamp") if isinstance(element.tag, str) else None
            if marker is not None:
                if int(marker) in self.elements:
                    raise Unstampable("an element was cloned by the HTML parser")
                self.elements[int(marker)] = element
        self.dom_parent = {child: parent for parent in etree_root.iter() for child in parent}

    def parent(self, box):
        return self.parents.get(id(box))

    def box_around(self, element):
        """The principal box of the nearest ancestor element that has one."""
        while True:
            element = self.dom_parent.get(element)
            marker = element.get("data-stamp") if element is not None else None
            if marker is None:  # reached the certificate itself
                raise Unstampable("a variable element has no fixed block around it")
            found = self.principal.get(int(marker), [])
            if len(found) == 1:
                return found[0]
            if found:
                raise Unstampable(f"element {marker} is split")

    def start(self, marker: int):
        found = self.principal.get(marker, [])
        if not found:
            raise Unstampable(f"element {marker} has no box")
        if len(found) == 1:
            return found[0]
        return self.box_around(self.elements[marker])  # an inline split over lines

    def unit(self, box):
        """The nearest block around `box` whose size and place do not follow its content."""
        while True:
            if _candidate(box, self.parent(box)):
                outermost, parent = None, self.parent(box)
                while parent is not None:
                    if _content_sized(parent, self.parent(parent)):
                        outermost = parent
                    parent = self.parent(parent)
                if outermost is None:
                    return box
                box = outermost
            box = self.box_around(box.element)

    def dom_markers(self, elements) -> set[int]:
        return {int(e.get("data-stamp")) for e in elements
                if isinstance(e.tag, str) and e.get("data-stamp") is not None}

    def dom_ancestors(self, element):
        ancestor = self.dom_parent.get(element)
        while ancestor is not None:
            yield ancestor
            ancestor = self.dom_parent.get(ancestor)


def plan(sample: Tokens, probe: Tokens, document, etree_root, css: str = "") -> Plan:
    """From the sample laid out with markers (`document`, its parsed DOM `etree_root`; `css` is
    the template's): the variable blocks and their places. Raises Unstampable when the group
    must print whole."""
    if len(document.pages) != 1:
        raise Unstampable("the sample does not fit one page")
    if any(tag.name in DOCUMENT_TAGS for tag in sample.tags):
        raise Unstampable("the template has document-level tags")
    changed = sample.differing(probe)
    if changed is None:
        raise Unstampable("the template's structure depends on the recipient")
    if None in changed:
        raise Unstampable("recipient text outside any element")
    layout = _Layout(document, etree_root)
    # html.parser (used per certificate) and the HTML5 parser must agree on who holds which text.
    own = sample.own_text()
    for marker, element in layout.elements.items():
        text = (element.text or "") + "".join(child.tail or "" for child in element)
        if "".join(text.split()) != "".join(own.get(marker, "").split()):
            raise Unstampable("the HTML parsers disagree on the template's structure")
    # Anything drawn by the page, the root or the body would cover the background.
    page_box = layout.page_box
    canvas = getattr(page_box, "canvas_background", None)
    if canvas is not None and (canvas.color.alpha or any(layer.image for layer in canvas.layers)) or any(
            _paints(box) for box in (page_box, *page_box.children[:1], *page_box.children[0].children[:1])):
        raise Unstampable("the page, html or body element has a background")

    units = {}
    for marker in changed:
        box = layout.unit(layout.start(marker))
        units[_marker(box)] = box
    for marker in list(units):  # nested variable blocks: keep the outermost
        if layout.dom_markers(layout.dom_ancestors(layout.elements[marker])) & set(units):
            del units[marker]
    inside: set[int] = set()
    ancestors: set[int] = set()
    for marker in units:
        inside |= layout.dom_markers(layout.elements[marker].iter())
        ancestors |= layout.dom_markers(layout.dom_ancestors(layout.elements[marker]))

    # Where a variable block could meet other content that paints, the two must not overlap in
    # ink: the layer is drawn over the background, which could reverse their order.
    ours, around = set(), set()
    for box in units.values():
        ours |= {id(b) for b in _boxes(box)}
        parent = layout.parent(box)
        while parent is not None:
            around.add(id(parent))
            parent = layout.parent(parent)
    areas = [_rect(box) for box in units.values()]
    obstacles = tuple(_rect(box) for box in layout.boxes
                      if id(box) not in ours and id(box) not in around and _paints(box)
                      and any(_overlap(_rect(box), area) for area in areas))
    if _collides(units.values(), obstacles):
        raise Unstampable("other content overlaps a variable block")

    placements = {}
    for marker, box in units.items():
        placements[marker] = Placement(
            left=box.border_box_x(), top=box.border_box_y(), width=box.width,
            padding=(box.padding_top, box.padding_right, box.padding_bottom, box.padding_left),
            border_height=box.border_height(),
            content_height=box.height if box.style["height"] != "auto" else None,
            min_height=box.min_height if isinstance(box.min_height, (int, float)) else 0.0,
            max_height=box.max_height if box.max_height not in (float("inf"), "auto", None) else None,
            visibility=box.style["visibility"])
    structural = bool(SIBLING_CSS.search(css) or any(tag.name == "style" for tag in sample.tags))
    return Plan(sample, placements, frozenset(ancestors), frozenset(inside), obstacles, structural)


def marked(tokens: Tokens) -> str:
    """The body with data-stamp markers on every element (to find their boxes after layout)."""
    return tokens.rewrite({i: f'data-stamp="{i}"' for i in range(len(tokens.tags))})


def background(document, plan: Plan):
    """The sample's laid-out page without its variable blocks: the page printed once per group
    (nothing else moves, as the layout is not redone)."""
    from weasyprint.document import Page
    from weasyprint.formatting_structure.boxes import ParentBox

    def without(box):
        if not isinstance(box, ParentBox):
            return box
        kept = [without(getattr(child, "_box", child)) for child in box.children
                if _anonymous(child) or _marker(child) not in plan.units]
        return box.copy_with_children(kept)

    return Page(without(document.pages[0]._page_box))


def check_css(css: str, body: str) -> None:
    match = UNSTAMPABLE_CSS.search(css) or UNSTAMPABLE_CSS.search(body)
    if match:
        raise Unstampable(f"the template uses {match.group(0)!r}")
