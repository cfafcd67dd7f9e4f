"""User-edited certificate templates: no include/extends/import (refused with a message when saved,
and safely at render), and bounded rendering — huge values, long loops, deep recursion and big
output are refused with a message instead of running until the worker is killed (issue 11, finding 11)."""
from __future__ import annotations

import pytest

from app.certificates import rendering, services
from app.certificates.models import CertificateKind, CertificateTemplate
from app.errors import InvalidInput
from tests.conftest import login


def _render(html: str) -> str:
    template = CertificateTemplate(kind="completion", title="结业证书", html=html, css="", page_size="A4 landscape")
    return rendering.render_body(template, rendering.sample_context(template))


LOADING = ["{% include 'base.html' %}", "{% extends 'base.html' %}", "{% import 'm.html' as m %}",
           "{% from 'm.html' import x %}", "{% include recipient_name %}", "{% extends title %}x"]


@pytest.mark.parametrize("html", LOADING)
def test_templates_cannot_load_other_templates(app, ctx, html):
    with pytest.raises(InvalidInput) as refused:
        _render(html)
    assert refused.value.fields["html"] and "include" in str(refused.value.message).lower() or \
        "模板" in str(refused.value.message)


@pytest.mark.parametrize("html", LOADING[:4])
def test_saving_such_a_template_shows_the_message(client, db_session, create_user, html):
    admin = create_user("admin")
    template = services.template_for_kind(CertificateKind.COMPLETION)
    db_session.commit()
    before = template.html
    login(client, admin)
    response = client.post(f"/console/certificates/templates/{template.id}",
                           data={"name": "x", "title": "结业证书", "html": html, "css": "",
                                 "page_size": "A4 landscape"})
    assert response.status_code == 200
    db_session.refresh(template)
    assert template.html == before
    preview = client.post(f"/console/certificates/templates/{template.id}/preview",
                          data={"html": html, "title": "结业证书"})
    assert preview.status_code == 422 and preview.json["message"]


@pytest.mark.parametrize("html", [
    "{{ 'a' * 30000000 }}",
    "{{ 30000000 * 'a' }}",
    "{{ ['a'] * 30000000 }}",
    "{{ 'a' * 5000 * 5000 }}",
    "{{ 9 ** 999999 }}",
    "{{ (((9 ** 64) ** 64) ** 64) ** 64 }}",
    "{% set n = 2 ** 60 %}{{ n * n * n * n * n * n * n * n * n * n * n * n * n * n * n * n * n * n * n * n * n * n * n * n * n * n * n * n * n * n * n * n * n * n * n * n * n * n * n * n * n * n * n * n * n * n * n * n * n * n * n * n * n * n * n * n * n * n * n * n * n * n * n * n * n * n * n * n * n * n }}",
    "{{ '%030000000d' % 1 }}",
    "{{ '%0*d' % (30000000, 1) }}",
    "{{ '{:>30000000}'.format(1) }}",
    "{{ 'a'|center(30000000) }}",
    "{{ 'a'.ljust(30000000) }}",
    "{{ 'a'|indent(30000000, true) }}",
    "{{ ('a' * 9000)|replace('a', 'bbbbbbbbbb') }}",
    "{{ 'ab'|wordwrap(1)|replace('', 'x' * 9000) }}",
])
def test_huge_values_are_refused(app, ctx, html):
    with pytest.raises(InvalidInput) as refused:
        _render(html)
    assert refused.value.message


@pytest.mark.parametrize("html", [
    "{% set s = 'a' * 100 %}{% for a in s %}{% for b in s %}{% for c in s %}{% endfor %}{% endfor %}{% endfor %}",
    "{% for a in 'a' * 9000 %}{% for b in 'b' * 9000 %}{% endfor %}{% endfor %}",
    "{% for a in 'a' * 9000 %}{{ recipient_name * 100 }}{% endfor %}",
    "{% macro m(n) %}{{ m(n) }}{{ m(n) }}{% endmacro %}{{ m(1) }}",
    "{% macro m() %}{{ m() }}{% endmacro %}{{ m() }}",
    "{% for a in [1,2,3] recursive %}{{ loop([1,2,3]) }}{% endfor %}",
    "{{ 1 / 0 }}",
])
def test_long_or_broken_rendering_is_refused(app, ctx, html):
    with pytest.raises(InvalidInput) as refused:
        _render(html)
    assert refused.value.message


def test_ordinary_templates_still_render(app, db_session):
    html = ("{% for part in recipient_name %}<b>{{ part }}</b>{% endfor %}{{ title|upper }}"
            "{% macro line(x) %}<p>{{ x }}</p>{% endmacro %}{{ line(programme) }}{{ '—' * 20 }}"
            "{{ '%05d' % 42 }}{{ '{:>4}'.format(7) }}{{ serial|replace('-', '·') }}")
    out = _render(html)
    assert "<b>张</b>" in out and "<p>2026年闵行区创业孵化营（第一期）</p>" in out and "00042" in out
    for kind in CertificateKind:
        shipped = services.template_for_kind(kind)
        assert _render(shipped.html)
