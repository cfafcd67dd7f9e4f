"""Pseudo-element styles shared between equal elements (app/certificates/speedups.py):
one style object for the ::marker of many equal elements, and the same page as without."""
from __future__ import annotations

import gc
import inspect
import multiprocessing

from app.certificates import rendering, speedups


def test_wraps_the_signature_it_was_written_for():
    from weasyprint.css import StyleFor

    speedups.install()
    assert list(inspect.signature(StyleFor.set_computed_styles).parameters) == [
        "self", "element", "parent", "root", "pseudo_type", "base_url", "target_collector"]


def test_equal_elements_share_their_pseudo_element_styles_and_lists_keep_their_markers():
    from weasyprint.css import StyleFor

    speedups.install()
    html = ("<!doctype html><html><body>" + "<p class='x'>一</p>" * 20
            + "<ul><li>甲</li><li>乙</li></ul><ol><li>丙</li><li>丁</li></ol></body></html>")
    markers = {}
    installed = StyleFor.set_computed_styles

    def spy(self, element, parent, root=None, pseudo_type=None, base_url=None, target_collector=None):
        installed(self, element, parent, root=root, pseudo_type=pseudo_type, base_url=base_url,
                  target_collector=target_collector)
        if getattr(element, "tag", None) == "p" and pseudo_type == "marker":
            markers[element] = id(self._computed_styles[element, pseudo_type])

    StyleFor.set_computed_styles = spy
    try:
        document, _ = rendering.layout(html, images={})
    finally:
        StyleFor.set_computed_styles = installed
    assert len(markers) == 20 and len(set(markers.values())) == 1
    text = "".join(box.text for page in document.pages for box in _texts(page._page_box))
    assert "•" in text and "1." in text and "2." in text  # list markers still drawn


def _texts(box):
    if hasattr(box, "text"):
        yield box
    for child in getattr(box, "children", ()):
        yield from _texts(child)


def test_html_parser_builds_each_pattern_once_and_parses_the_same():
    import tinyhtml5
    from tinyhtml5 import inputstream

    html = ("<!doctype html><html><body><p class=\"a\" title='b'>一 &amp; 二<img src=x alt=''></p>"
            "<!-- note --><style>p { color: red }</style><script>var a = 1 < 2;</script></body></html>")
    before = _tree(tinyhtml5.parse(html))
    speedups.install()
    cache = inputstream.characters_until_regex
    assert isinstance(cache, speedups.RegexCache)
    assert _tree(tinyhtml5.parse(html)) == before
    size = len(cache)
    for _ in range(3):
        assert _tree(tinyhtml5.parse(html)) == before
    assert len(cache) == size  # hits: nothing added on the next parses
    assert all(isinstance(key[0], (str, tuple, frozenset)) for key in cache)


def _tree(element):
    return [(e.tag, sorted(e.attrib.items()), e.text, e.tail) for e in element.iter()]


def _thresholds_in_a_worker(queue):
    from app.certificates import batches

    batches._collect_less()
    queue.put((gc.get_threshold(), gc.get_freeze_count() > 0))


def test_rendering_processes_collect_less_and_the_calling_process_is_untouched():
    from app.certificates import batches

    before = gc.get_threshold()
    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    process = context.Process(target=_thresholds_in_a_worker, args=(queue,))
    process.start()
    assert queue.get(timeout=60) == (batches.GC_THRESHOLD, True)
    process.join(timeout=60)
    assert gc.get_threshold() == before


# WeasyPrint 70.0's StyleFor.__init__, which speedups._init copies with a cache added: if this
# changes, WeasyPrint changed its cascade and _init must be written again from the new one.
STYLE_FOR_INIT_SHA256 = "b1e725a7552502aa00f0bc07aec79c1aa49365b107a889085161f8d6a4c4a836"
CASCADE_HTML = ("<!doctype html><html><head><style>p { color: red } .x { margin: 2px } .y .x { color: blue }"
                " p::after { content: '!' } li::marker { color: green } .b { font-size: 20px }</style></head><body>"
                + "<div class='a'><p class='x'>一</p></div><div class='b'><p class='x'>二</p></div>" * 5
                + "<div class='y'><p class='x' style='margin: 3px'>三</p><p class='x'>四</p></div>"
                + "<ul><li>甲</li><li style='color: red'>乙</li></ul></body></html>")


def test_the_cascade_copied_is_weasyprints_own():
    import hashlib

    from weasyprint.css import StyleFor

    speedups.install()
    assert StyleFor.__init__ is speedups._init
    source = inspect.getsource(speedups._init.original)
    assert hashlib.sha256(source.encode()).hexdigest() == STYLE_FOR_INIT_SHA256


def _styles(init):
    """Every element's and pseudo-element's computed style, in tree order, laid out with `init`;
    and per element the cascaded declarations its style was computed from."""
    from weasyprint.css import StyleFor
    from weasyprint.css.properties import INITIAL_VALUES

    instances = []

    def spy(self, *args, **kwargs):
        init(self, *args, **kwargs)
        instances.append(self)

    installed = StyleFor.__init__
    StyleFor.__init__ = spy
    try:
        rendering.layout(CASCADE_HTML, images={})
    finally:
        StyleFor.__init__ = installed
    computed = instances[0]._computed_styles
    elements = [key for key in computed if not isinstance(key[0], str) and hasattr(key[0], "tag")]
    values = [(element.tag, element.text, pseudo, {name: repr(computed[element, pseudo][name])
                                                   for name in INITIAL_VALUES})
              for element, pseudo in elements]
    return values, {key: computed[key].cascaded for key in elements}


def test_elements_matched_by_the_same_rules_share_one_cascade_and_style_as_before():
    speedups.install()
    ours, cascades = _styles(speedups._init)
    theirs, _ = _styles(speedups._init.original)
    assert ours == theirs
    paragraphs = [(element, cascade) for (element, pseudo), cascade in cascades.items()
                  if element.tag == "p" and pseudo is None]
    assert len(paragraphs) == 12
    plain = [cascade for element, cascade in paragraphs if element.get("style") is None]
    assert len({id(cascade) for cascade in plain[:10]}) == 1  # under .a and under .b: one cascade
    assert len({id(cascade) for cascade in plain}) == 2  # .y .x matches one rule more
    styled = next(cascade for element, cascade in paragraphs if element.get("style"))
    assert all(styled is not cascade for cascade in plain)


# WeasyPrint 70.0's RasterImage._get_png_data, which idat_as_is stands in for (PNG IDAT data).
GET_PNG_DATA_SHA256 = "da00cfefb979545130b958c5437c8ac62be7dfe939261f9a8196a8a6c5e899c2"


def _png(data: bytes, idat: bytes) -> bytes:
    """`data` (a PNG) with its IDAT data replaced by `idat`."""
    import struct
    import zlib

    head = data[:33]  # signature and IHDR
    chunk = struct.pack(">I", len(idat)) + b"IDAT" + idat + struct.pack(">I", zlib.crc32(b"IDAT" + idat))
    return head + chunk + struct.pack(">I", 0) + b"IEND" + struct.pack(">I", zlib.crc32(b"IEND"))


def test_a_greyscale_png_goes_into_the_pdf_as_it_is_with_the_same_pixels():
    import hashlib
    import io
    import zlib

    from PIL import Image
    from weasyprint.images import RasterImage

    from app.certificates import qrpng

    speedups.install()
    ours = RasterImage._get_png_data
    assert hashlib.sha256(inspect.getsource(ours.original).encode()).hexdigest() == GET_PNG_DATA_SHA256
    qr = qrpng.png("https://rencai.minhang.gov.cn/verify/EXAMPLE-CODE")
    taken, encoded = ours(Image.open(io.BytesIO(qr))), ours.original(Image.open(io.BytesIO(qr)))
    assert taken in qr  # not decoded and encoded again
    assert (Image.open(io.BytesIO(_png(qr, taken))).tobytes()
            == Image.open(io.BytesIO(_png(qr, encoded))).tobytes() == Image.open(io.BytesIO(qr)).tobytes())
    for mode in ("1", "RGB", "LA"):  # anything else goes WeasyPrint's way
        other = io.BytesIO()
        Image.new(mode, (4, 4)).save(other, format="PNG")
        image = Image.open(io.BytesIO(other.getvalue()))
        assert speedups.idat_as_is(image) is None and ours(image) == ours.original(image)
    ihdr = qr[12:28] + b"\x01"  # the same code, Adam7-interlaced (Pillow writes none)
    interlaced = qr[:12] + ihdr + zlib.crc32(ihdr).to_bytes(4, "big") + qr[33:]
    assert speedups.idat_as_is(Image.open(io.BytesIO(interlaced))) is None
