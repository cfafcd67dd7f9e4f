"""Translations: Chinese (zh_CN, catalog folder zh_Hans_CN) is the first language and must be complete.

These tests extract messages from the source as it is *now* (same method map and keywords as
`make extract-messages`), so a new `_("...")` without a Chinese translation fails the suite.
To fix a failure: run `make extract-messages`, translate the listed msgids in
translations/zh_Hans_CN/LC_MESSAGES/messages.po (remove any `#, fuzzy` flag), then
`.venv/bin/pybabel compile -d translations`.
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
BABEL_CFG = ROOT / "babel.cfg"
ZH_PO = ROOT / "translations" / "zh_Hans_CN" / "LC_MESSAGES" / "messages.po"
ZH_MO = ZH_PO.with_suffix(".mo")
# The same keywords as `pybabel extract -k _l -k lazy_gettext` (defaults plus these two).
KEYWORDS = {**DEFAULT_KEYWORDS, "_l": None, "lazy_gettext": None}
FIX_HINT = ("Run `make extract-messages`, translate these in "
            "translations/zh_Hans_CN/LC_MESSAGES/messages.po (no `#, fuzzy`), "
            "then `.venv/bin/pybabel compile -d translations`.")
# printf-style named placeholders: %(name)s, %(n)d, %(rate).1f ...
PLACEHOLDER = re.compile(r"%\(([^)]+)\)[#0 +-]*(?:\*|\d+)?(?:\.(?:\*|\d+))?[diouxXeEfFgGcrsa]")


@lru_cache(maxsize=None)
def extracted_messages() -> dict[tuple[str, str | None], list[str]]:
    """(msgid, context) -> ["file:line", ...] for every message in the source right now."""
    with BABEL_CFG.open(encoding="utf-8") as fileobj:
        method_map, options_map = parse_mapping_cfg(fileobj, filename=str(BABEL_CFG))
    found: dict[tuple[str, str | None], list[str]] = {}
    for filename, lineno, message, _comments, context in extract_from_dir(
            str(ROOT), method_map, options_map, keywords=KEYWORDS):
        msgid = message[0] if isinstance(message, (tuple, list)) else message
        if msgid:
            found.setdefault((msgid, context), []).append(f"{filename}:{lineno}")
    return found


def zh_catalog():
    with ZH_PO.open("rb") as fileobj:
        return read_po(fileobj, locale="zh_Hans_CN")


def _is_translated(message) -> bool:
    if message is None or message.fuzzy:
        return False
    strings = message.string if isinstance(message.string, (tuple, list)) else (message.string,)
    return bool(strings) and all(s and s.strip() for s in strings)


def test_extraction_finds_the_source_strings():
    messages = extracted_messages()
    assert len(messages) > 100, "babel.cfg extraction found almost nothing; check the method map"
    assert ("Minhang Talent", None) in messages


def test_every_source_string_has_a_chinese_translation():
    catalog = zh_catalog()
    untranslated = []
    # (msgid, context) keys: a context is None for most messages, so sort it as "" (pgettext entries)
    for (msgid, context), where in sorted(extracted_messages().items(),
                                          key=lambda item: (item[0][0], item[0][1] or "")):
        message = catalog.get(msgid, context=context)
        if not _is_translated(message):
            state = "missing from catalog" if message is None else ("fuzzy" if message.fuzzy else "empty")
            label = f"{msgid!r}" + (f" (context {context!r})" if context else "")
            untranslated.append(f"  {label} [{state}] at {', '.join(where[:3])}")
    assert not untranslated, (
        f"{len(untranslated)} msgid(s) lack a Chinese translation:\n" + "\n".join(untranslated)
        + "\n" + FIX_HINT)


def _placeholders(text: str) -> set[str]:
    return {m.group(0) for m in PLACEHOLDER.finditer(text or "")}


def test_translations_keep_the_placeholders_of_their_msgid():
    problems = []
    for message in zh_catalog():
        if not message.id or not message.string:
            continue
        ids = message.id if isinstance(message.id, (tuple, list)) else (message.id,)
        strings = message.string if isinstance(message.string, (tuple, list)) else (message.string,)
        expected = set().union(*(_placeholders(i) for i in ids))
        for string in strings:
            if string and _placeholders(string) != expected:
                problems.append(f"  {ids[0]!r}: expects {sorted(expected)}, "
                                f"translation {string!r} has {sorted(_placeholders(string))}")
    assert not problems, "Translations with placeholders that differ from the msgid:\n" + "\n".join(problems)


def _key(value):
    """Plural entries come as lists from one reader and tuples from the other."""
    return tuple(value) if isinstance(value, (list, tuple)) else value


def test_compiled_catalog_matches_the_po_file():
    assert ZH_MO.exists(), f"{ZH_MO} is missing: run `.venv/bin/pybabel compile -d translations`."
    with ZH_MO.open("rb") as fileobj:
        compiled = {(m.context, _key(m.id)): _key(m.string) for m in read_mo(fileobj) if m.id}
    stale = [f"  {m.id!r}" + (f" (context {m.context!r})" if m.context else "") for m in zh_catalog()
             if m.id and _is_translated(m) and compiled.get((m.context, _key(m.id))) != _key(m.string)]
    assert not stale, ("messages.mo is older than messages.po for:\n" + "\n".join(stale[:20])
                       + "\nRun `.venv/bin/pybabel compile -d translations`.")


def test_home_page_is_chinese_by_default(client):
    response = client.get("/")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert '<html lang="zh-CN">' in html
    assert "闵行人才" in html and "留在闵行" in html
    assert "Stay in Minhang" not in html


def test_home_page_is_english_with_lang_en(client):
    response = client.get("/?lang=en")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert '<html lang="en">' in html
    assert "Minhang Talent" in html and "Stay in Minhang: talent events and training" in html
    assert "留在闵行" not in html and "闵行人才" not in html


def test_lang_en_is_kept_on_the_next_click_and_after_a_redirect(app, db_session, create_event):
    """Issue 12, defect 10: `?lang=en` was lost on the next click or redirect. It sets the
    language for the browser (the same cookie /lang/<code> sets)."""
    event = create_event(title="海聚英才 Forum")
    client = app.test_client()
    assert '<html lang="en">' in client.get("/?lang=en").get_data(as_text=True)
    page = client.get(f"/events/{event.id}")
    assert page.status_code == 200 and '<html lang="en">' in page.get_data(as_text=True)
    # A redirect (to the login page) stays English too.
    redirected = client.get("/console/", follow_redirects=True)
    assert redirected.request.path != "/console/"
    assert '<html lang="en">' in redirected.get_data(as_text=True)
    # And choosing Chinese the same way switches back.
    client.get("/?lang=zh_CN")
    assert '<html lang="zh-CN">' in client.get(f"/events/{event.id}").get_data(as_text=True)
    # A fresh browser without the parameter is Chinese.
    assert '<html lang="zh-CN">' in app.test_client().get(f"/events/{event.id}").get_data(as_text=True)
