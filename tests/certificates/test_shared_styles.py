"""Pseudo-element styles shared between equal elements (app/certificates/shared_styles.py):
one style object for the ::marker of many equal elements, and the same page as without."""
from __future__ import annotations

import inspect

from app.certificates import rendering, shared_styles


def test_wraps_the_signature_it_was_written_for():
    from weasyprint.css import StyleFor

    shared_styles.install()
    assert list(inspect.signature(StyleFor.set_computed_styles).parameters) == [
        "self", "element", "parent", "root", "pseudo_type", "base_url", "target_collector"]


def test_equal_elements_share_their_pseudo_element_styles_and_lists_keep_their_markers():
    from weasyprint.css import StyleFor

    shared_styles.install()
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
