"""Stamped batches: lay a template out once, and per certificate lay out only what differs.

WeasyPrint spends ~35 ms of CPU on a certificate page, nearly all of it laying out boxes that
are the same on every certificate of a batch: the frame, the title, the body text, the issuer's
block, the seal. For a group of certificates that share a template and every field except the
recipient's own (name, serial, code, link, QR code; `group_key`):

1. `plan` renders the group's first certificate (the sample) and a probe that differs from it in
   exactly those fields, and compares the two bodies token by token: the elements whose text or
   attributes differ are the variable ones. It lays the sample out once and widens each of them
   to the nearest block whose size and place cannot follow its content (a block in normal flow,
   or a positioned box of fixed width, with no shrink-to-fit box, flex, table or transform
   around it). The group prints whole when that block would be the certificate itself, when
   other content overlaps a block in ink, when the page or body paints, or when the CSS makes
   pages differ by their number or neighbours (`check_css`).
2. `background` is the sample's laid-out page without those blocks: printed once per group,
   and nothing else moves, as the layout is not redone.
3. `Plan.layer` turns each certificate's body into its layer: the variable blocks pinned where
   the sample had them, their ancestors kept for inherited styles and selectors but drawing and
   occupying nothing, everything else left out (kept empty where the CSS counts siblings). A
   certificate whose body has another structure, or differs outside the blocks, prints whole.
4. `Plan.fits` checks each laid-out layer: every block must come out with the sample's height
   and keep its ink off the background's; otherwise that certificate prints whole.

`batches` lays the layers out and draws the background under each as one form XObject.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

from app.certificates.tokens import Tokens, tokenize

# The fields that differ from one recipient to the next within a batch.
PER_RECIPIENT = ("recipient_name", "serial", "code", "verify_url", "qr")
# Below this many certificates in a group, planning (an extra layout) costs more than it saves.
MIN_GROUP = 8
# CSS that makes a page depend on its neighbours or on its number, or that stamping could not
# override: never stamped.
UNSTAMPABLE_CSS = re.compile(
    r"counter\s*\(|counters\s*\(|counter-(?:increment|reset|set)|string-set|string\s*\(|running\s*\(|"
    r"element\s*\(|target-(?:counter|text)|@(?:top|bottom|left|right)-|footnote|first-line|first-letter|"
    r"bookmark-|leader\s*\(|!\s*important|:has\(|data-stamp",  # the last: our own markers
    re.IGNORECASE)
# Selectors whose match depends on an element's siblings (or would, for lack of a parser here).
SIBLING_CSS = re.compile(r"[+~]|:(?:first|last|nth|only|empty|not|is|where|has)\b", re.IGNORECASE)
# Elements that would change the document itself rather than add to the certificate's body.
DOCUMENT_TAGS = {"html", "head", "body", "frameset", "frame", "base", "meta", "link", "template"}
# Ancestors of a variable block keep their styles for inheritance but draw and occupy nothing.
NEUTRAL_BOX = ("display:block!important;position:static!important;float:none!important;margin:0!important;"
               "padding:0!important;border:0 none!important;outline:none!important;background:none!important;"
               "box-shadow:none!important;width:auto!important;height:auto!important;min-width:0!important;"
               "max-width:none!important;min-height:0!important;max-height:none!important;"
               "overflow:visible!important;transform:none!important;visibility:hidden!important;"
               "columns:auto!important")
TOLERANCE = 0.01  # CSS px


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

    @cached_property
    def _attributes(self) -> dict[int, str]:
        """What marks each element of a layer: a variable block, an ancestor, or left out."""
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
    from weasyprint.css import AnonymousStyle  # lazy: WeasyPrint takes 0.4 s to import

    return isinstance(box.style, AnonymousStyle)


def _content_sized(box, parent) -> bool:
    """Would this box's width or place follow its content (so a longer name moves things)?"""
    from weasyprint.formatting_structure import boxes as b  # lazy: WeasyPrint takes 0.4 s to import

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
    from weasyprint.formatting_structure import boxes as b  # lazy: WeasyPrint takes 0.4 s to import

    if type(box) not in (b.BlockBox, b.BlockReplacedBox, b.FlexBox, b.GridBox):
        return False
    if isinstance(box, b.ReplacedBox) and box.style["width"] == "auto" and box.style["height"] == "auto":
        return False  # its size is the image's own
    return not _content_sized(box, parent)


def _paints(box) -> bool:
    """Does this box itself put ink on the page (text, image, background or border)?"""
    from weasyprint.formatting_structure import boxes as b  # lazy: WeasyPrint takes 0.4 s to import

    if box.style["visibility"] != "visible":
        return False
    if isinstance(box, b.TextBox):
        return bool(box.text.strip())
    if isinstance(box, b.ReplacedBox):
        return True
    if _has_background(getattr(box, "background", None)):
        return True
    return any(getattr(box, f"border_{side}_width", 0) for side in ("top", "right", "bottom", "left"))


def _has_background(background) -> bool:
    """A laid-out background (WeasyPrint's) that puts any colour or image on the page."""
    return background is not None and bool(background.color.alpha or any(layer.image for layer in background.layers))


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
    if _has_background(getattr(page_box, "canvas_background", None)) or any(
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
    from weasyprint.document import Page  # lazy: WeasyPrint takes 0.4 s to import
    from weasyprint.formatting_structure.boxes import ParentBox  # lazy: WeasyPrint takes 0.4 s to import

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
