"""Two costs WeasyPrint pays per element that certificates do not need to pay; `install()`.

1. Pseudo-element styles shared between equal elements, as WeasyPrint already shares elements' own.

WeasyPrint's user-agent stylesheet gives every element six pseudo-elements (::marker,
::footnote-call, ::footnote-marker and the note ones), and it computes a style object for each
of them, for every element: on a sheet of stamped certificate layers that is 6 of every 7
computed styles (~0.7 ms a certificate). For elements it already shares one computed style
between elements with the same parent style and the same matching rules (StyleFor.__init__'s
computed_cache). A pseudo-element's computed style depends only on its parent's computed style,
its cascaded declarations, its type, the root's style, the base URL and the font configuration
(ComputedStyle is not given the element), so two with the same parent style object and the
same cascaded declarations get one style object here too.

2. tinyhtml5 (WeasyPrint's HTML parser) caches the regular expression of each `chars_until`
call under the wrong key (`characters = cache[key] = regex` assigns `characters` first), so
it builds the pattern again on every call, ~10 a certificate. A cache that fills itself under
the right key makes its except-branch unreachable.

3. One cascade for elements matched by the same rules. StyleFor.__init__ merges, for every
element, the declarations of every rule it matches into a dict per pseudo-element (~115,000
merges for a chunk of 250 stamped certificates, ~12 % of its CPU), though equal elements (a
certificate's frame, its title, ..., repeated on every layer) match the same rules in the same
order. The merged dicts depend only on those rules (each sheet's origin and specificity, their
order, layers and declarations), so an element without a style attribute (whose declarations
come first) gets the dicts of the first element that matched the same ones. Nothing changes a
cascaded dict once merged (ComputedStyle reads it; page rules go under their own keys), so they
are shared, not copied. `_init` is StyleFor.__init__ of WeasyPrint 70.0 with that cache added.

4. WeasyPrint puts a PNG in the PDF by decoding it with Pillow and encoding it again (to take
the IDAT chunks of a PNG it wrote itself), ~0.4 ms a QR code. An 8-bit greyscale,
non-interlaced PNG's IDAT chunks are already what that PDF stream holds (zlib-compressed PNG
rows, /Predictor 15), so they are taken as they are (`idat_as_is`); any other image goes the
usual way.

`install()` does all four once per process; WeasyPrint and tinyhtml5 are pinned (requirements.txt),
and tests/certificates/test_speedups.py checks what is wrapped is still what it expects.
"""
from __future__ import annotations

import io
import re
import struct

_installed = False
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


class RegexCache(dict):
    """tinyhtml5's chars_until cache: (characters, opposite) -> its compiled pattern."""

    def __missing__(self, key):
        characters, opposite = key
        pattern = "".join(f"\\x{ord(character):02x}" for character in characters)
        self[key] = compiled = re.compile(f"[{'' if opposite else '^'}{pattern}]+")
        return compiled


def install() -> None:
    global _installed
    if _installed:
        return
    from tinyhtml5 import inputstream  # lazy: only rendering processes parse certificate HTML
    from weasyprint.css import StyleFor  # lazy: WeasyPrint takes 0.4 s to import
    from weasyprint.images import RasterImage  # lazy: as above

    inputstream.characters_until_regex = RegexCache()

    original = StyleFor.set_computed_styles

    def set_computed_styles(self, element, parent, root=None, pseudo_type=None, base_url=None,
                            target_collector=None):
        if pseudo_type is None or parent is None or not hasattr(element, "tag"):
            return original(self, element, parent, root=root, pseudo_type=pseudo_type, base_url=base_url,
                            target_collector=target_collector)
        parent_style = self._computed_styles[parent, None]
        cascaded = self._cascaded_styles.get((element, pseudo_type), {})
        key = (id(parent_style), pseudo_type, base_url,
               tuple((name, id(values), weight) for name, (values, weight) in cascaded.items()))
        shared = self.__dict__.setdefault("_shared_pseudo_styles", {})
        found = shared.get(key)
        if found is not None:
            self._computed_styles[element, pseudo_type] = found[1]
            return None
        result = original(self, element, parent, root=root, pseudo_type=pseudo_type, base_url=base_url,
                          target_collector=target_collector)
        computed = self._computed_styles[element, pseudo_type]
        if not computed["anchor"]:  # an anchor is collected per element: never shared
            # The parent style and the declarations are kept alive with it, so their ids stay theirs.
            shared[key] = ((parent_style, cascaded), computed)
        return result

    StyleFor.set_computed_styles = set_computed_styles
    _init.original = StyleFor.__init__  # for tests/certificates/test_speedups.py
    StyleFor.__init__ = _init

    reencode = RasterImage._get_png_data

    def get_png_data(pillow_image):
        data = idat_as_is(pillow_image)
        return reencode(pillow_image) if data is None else data

    get_png_data.original = reencode
    RasterImage._get_png_data = staticmethod(get_png_data)
    _installed = True


def idat_as_is(pillow_image) -> bytes | None:
    """The IDAT data of a not yet decoded 8-bit greyscale, non-interlaced PNG opened from memory,
    or None for any other image."""
    source = getattr(pillow_image, "fp", None)
    if pillow_image.format != "PNG" or pillow_image.mode != "L" or not isinstance(source, io.BytesIO):
        return None
    data = source.getvalue()
    if data[:8] != PNG_SIGNATURE or data[12:16] != b"IHDR" or len(data) < 29:
        return None
    bit_depth, colour_type, _compression, _filter, interlace = data[24:29]
    if (bit_depth, colour_type, interlace) != (8, 0, 0):  # 8-bit greyscale, not interlaced
        return None
    chunks, offset = [], 8
    while offset + 8 <= len(data):
        length, kind = struct.unpack(">I4s", data[offset:offset + 8])
        if kind == b"IDAT":
            chunks.append(data[offset + 8:offset + 8 + length])
        offset += 12 + length
    return b"".join(chunks) or None


def _init(self, html, sheets, presentational_hints, font_config, target_collector):
    """WeasyPrint 70.0's StyleFor.__init__ (weasyprint/css/__init__.py), its comments cut, the
    declarations merged once per equal list of matched rules (see the module's docstring)."""
    from weasyprint.css import (  # lazy: WeasyPrint takes 0.4 s to import
        PROGRESS_LOGGER, declaration_precedence, find_style_attributes, inf, preprocess_declarations)

    self._cascaded_styles = cascaded_styles = {}
    self._computed_styles = computed_styles = {}
    self.initial_page_sizes = {"box": None, "area": None}
    self._sheets = sheets
    self.font_config = font_config

    PROGRESS_LOGGER.info("Step 3 - Applying CSS")
    layer_order = inf
    elements_declarations = {}
    for specificity, element, declarations, base_url in find_style_attributes(
            html.etree_element, presentational_hints, html.base_url):
        style = cascaded_styles.setdefault((element, None), {})
        elements_declarations[element] = tuple(declarations)
        for name, values, importance in preprocess_declarations(base_url, declarations):
            precedence = declaration_precedence("author", importance)
            weight = (precedence, layer_order, specificity)
            old_weight = style.get(name, (None, None))[1]
            if old_weight is None or old_weight <= weight:
                style[name] = values, weight

    computed_cache = {}
    cascade_cache = {}  # ours: matched rules -> {pseudo_type: the merged declarations}
    for element in html.wrapper_element.iter_subtree():
        etree_element = element.etree_element
        parent = element.parent.etree_element if element.parent else None
        parent_id = id(computed_styles[parent, None]) if element.parent else None
        element_declarations = elements_declarations.get(etree_element)
        selectors_keys = []
        matched = []
        for sheet, origin, sheet_specificity in sheets:
            for selector in sheet.matcher.match(element):
                specificity, order, pseudo_type, (declarations, layer) = selector
                layer_order = inf if layer is None else sheet.layers.index(layer)
                selectors_keys.append((sheet, specificity, id(declarations), layer_order))
                matched.append((origin, sheet_specificity or specificity, pseudo_type, declarations, layer_order))
        # A style attribute's declarations are in this element's dict already: merged afresh.
        own = (etree_element, None) in cascaded_styles
        cascade_key = tuple((id(sheet), origin, specificity, pseudo_type, id(declarations), layer_order)
                            for (sheet, *_), (origin, specificity, pseudo_type, declarations, layer_order)
                            in zip(selectors_keys, matched))
        shared = None if own else cascade_cache.get(cascade_key)
        if shared is not None:
            for pseudo_type, style in shared.items():
                cascaded_styles[etree_element, pseudo_type] = style
        else:
            merged = {}
            for origin, specificity, pseudo_type, declarations, layer_order in matched:
                style = cascaded_styles.setdefault((etree_element, pseudo_type), {})
                merged[pseudo_type] = style
                for name, values, importance in declarations:
                    precedence = declaration_precedence(origin, importance)
                    weight = (precedence, layer_order, specificity)
                    old_weight = style.get(name, (None, None))[1]
                    if old_weight is None or old_weight <= weight:
                        style[name] = values, weight
            if not own:
                cascade_cache[cascade_key] = merged

        key = (parent_id, element_declarations, tuple(selectors_keys))
        if key in computed_cache:
            computed_styles[etree_element, None] = computed_cache[key]
        else:
            self.set_computed_styles(
                etree_element, root=html.etree_element, parent=parent,
                base_url=html.base_url, target_collector=target_collector)
            computed_cache[key] = computed_styles[etree_element, None]

    for element, pseudo_type in cascaded_styles:
        if pseudo_type:
            self.set_computed_styles(
                element, pseudo_type=pseudo_type, root=html.etree_element, parent=element,
                base_url=html.base_url, target_collector=target_collector)

    self._cascaded_styles.clear()
