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

`install()` does both once per process; WeasyPrint and tinyhtml5 are pinned (requirements.txt),
and tests/certificates/test_speedups.py checks what is wrapped is still what it expects.
"""
from __future__ import annotations

import re

_installed = False


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
    _installed = True
