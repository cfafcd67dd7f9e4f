"""Pseudo-element styles shared between equal elements, as WeasyPrint already shares elements' own.

WeasyPrint's user-agent stylesheet gives every element six pseudo-elements (::marker,
::footnote-call, ::footnote-marker and the note ones), and it computes a style object for each
of them, for every element: on a sheet of stamped certificate layers that is 6 of every 7
computed styles (~0.7 ms a certificate). For elements it already shares one computed style
between elements with the same parent style and the same matching rules (StyleFor.__init__'s
computed_cache). A pseudo-element's computed style depends only on its parent's computed style,
its cascaded declarations, its type, the root's style, the base URL and the font configuration
(ComputedStyle is not given the element), so two with the same parent style object and the
same cascaded declarations get one style object here too.

`install()` wraps StyleFor.set_computed_styles once per process; WeasyPrint is pinned
(requirements.txt), and tests/certificates/test_shared_styles.py checks the wrapped signature.
"""
from __future__ import annotations

_installed = False


def install() -> None:
    global _installed
    if _installed:
        return
    from weasyprint.css import StyleFor  # lazy: WeasyPrint takes 0.4 s to import

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
    _installed = True
