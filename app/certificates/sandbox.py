"""The Jinja sandbox for user-edited certificate templates, with bounds.

Jinja's sandbox keeps a template away from Python's internals, but not from the worker's time and
memory: `{{ 'a' * 30000000 }}` or three nested loops run until the worker is killed. Here every
step that can grow or repeat is counted or measured, and a template that goes past a bound is
refused with a message (TemplateRefused, a SecurityError), never left to run:

- no {% include %}, {% extends %}, {% import %}: a certificate is one self-contained template;
- values (strings, lists) made by operators, filters and method calls stay under MAX_VALUE items;
- loop iterations and calls (macros, methods, filters) share one budget of MAX_STEPS per render;
- the rendered HTML stays under MAX_OUTPUT characters.
"""
from __future__ import annotations

import re
import string
from contextvars import ContextVar
from functools import wraps

from flask_babel import gettext as _
from jinja2 import nodes, pass_context
from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError

MAX_VALUE = 20_000     # characters of a string, items of a list
MAX_STEPS = 10_000     # loop iterations + calls in one render (a certificate needs a few dozen)
MAX_OUTPUT = 200_000   # characters of rendered HTML for one certificate
MAX_WIDTH = 1_000      # a field width or precision in a format string
MAX_EXPONENT = 64
MAX_BITS = 4_096       # of a whole number: (9 ** 64) ** 64 ... grows past any time bound

LOADING_NODES = (nodes.Include, nodes.Extends, nodes.Import, nodes.FromImport)
_PRINTF = re.compile(r"%(?:\([^)]*\))?[#0\- +]*(\*|\d+)?(?:\.(\*|\d+))?")


class TemplateRefused(SecurityError):
    """A template that goes past a bound; its message is for the person editing it."""


class _Budget:
    def __init__(self):
        self.steps = 0

    def tick(self) -> None:
        self.steps += 1
        if self.steps > MAX_STEPS:
            raise TemplateRefused(_("The template repeats too much (more than %(n)s steps): simplify its loops "
                                    "and macros.", n=MAX_STEPS))


_budget: ContextVar[_Budget | None] = ContextVar("certificate_template_budget", default=None)


def _tick() -> None:
    budget = _budget.get()
    if budget is None:  # compile-time constant folding: count against a throwaway budget
        budget = _Budget()
    budget.tick()


def _too_big() -> TemplateRefused:
    return TemplateRefused(_("The template makes a value that is too long (more than %(n)s characters).",
                             n=MAX_VALUE))


def _size_ok(value) -> None:
    if isinstance(value, (str, list, tuple, dict, set, frozenset, bytes)) and len(value) > MAX_VALUE:
        raise _too_big()
    if isinstance(value, int) and _bits(value) > MAX_BITS:
        raise _too_big()


def _args_ok(args, kwargs) -> None:
    for value in list(args) + list(kwargs.values()):
        if isinstance(value, int) and not isinstance(value, bool) and abs(value) > MAX_VALUE:
            raise _too_big()
        _size_ok(value)


def _is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _bits(value) -> int:
    return abs(int(value)).bit_length() if isinstance(value, int) else 64


def _check_printf(fmt: str) -> None:
    for match in _PRINTF.finditer(fmt):
        for part in match.groups():
            if part == "*" or (part and int(part) > MAX_WIDTH):
                raise _too_big()


def _check_format(fmt: str) -> None:
    try:
        fields = list(string.Formatter().parse(fmt))
    except ValueError as exc:
        raise TemplateRefused(str(exc)) from None
    for _literal, _field, spec, _conversion in fields:
        if spec and ("{" in spec or any(int(n) > MAX_WIDTH for n in re.findall(r"\d+", spec))):
            raise _too_big()


def _bounded_filter(name: str, func):
    @wraps(func)
    def guarded(*args, **kwargs):
        _tick()
        values = [a for a in args if not hasattr(a, "environment")]  # not the context/environment
        _args_ok(values, kwargs)
        if name == "replace" and len(values) >= 3 and isinstance(values[0], str):
            old, new = str(values[1]), str(values[2])
            hits = values[0].count(old) if old else len(values[0]) + 1
            if hits * len(new) > MAX_VALUE:
                raise _too_big()
        if name == "format" and values and isinstance(values[0], str):
            _check_printf(values[0])
        result = func(*args, **kwargs)
        _size_ok(result)
        return result

    return guarded


@pass_context
def _loop_guard(_context, iterable):
    """Put around every {% for %} iterable at compile time: each iteration spends a step."""
    for item in iterable:
        _tick()
        yield item


class CertificateSandbox(ImmutableSandboxedEnvironment):
    intercepted_binops = frozenset({"*", "**", "%", "+", "//"})

    def __init__(self):
        super().__init__(autoescape=True)
        # No helpers that reach code (lipsum, cycler, joiner, namespace, dict, range): only plain data.
        self.globals.clear()
        self.filters = {name: _bounded_filter(name, f) for name, f in self.filters.items()}
        self.filters["_loop_guard"] = _loop_guard

    def _parse(self, source, name, filename):
        tree = super()._parse(source, name, filename)
        for node in tree.find_all(LOADING_NODES):
            raise TemplateRefused(_("A certificate template cannot include, extend or import other templates "
                                    "(line %(line)s): put everything in this one.", line=node.lineno))
        for loop in tree.find_all(nodes.For):
            loop.iter = nodes.Filter(loop.iter, "_loop_guard", [], [], None, None, lineno=loop.lineno)
        return tree

    def call_binop(self, context, op, left, right):
        if op == "*":
            for seq, times in ((left, right), (right, left)):
                if isinstance(seq, (str, list, tuple)) and isinstance(times, int) and len(seq) * times > MAX_VALUE:
                    raise _too_big()
            if _is_number(left) and _is_number(right) and _bits(left) + _bits(right) > MAX_BITS:
                raise _too_big()
        elif op == "**":
            if _is_number(right) and (abs(right) > MAX_EXPONENT or _bits(left) * abs(right) > MAX_BITS):
                raise _too_big()
        elif op == "%" and isinstance(left, str):
            _check_printf(left)
        result = self.binop_table[op](left, right)
        _size_ok(result)
        return result

    def wrap_str_format(self, value):
        wrapped = super().wrap_str_format(value)
        if wrapped is not None and value.__name__ == "format":
            _check_format(value.__self__)
        return wrapped

    def call(__self, __context, __obj, *args, **kwargs):  # noqa: N805 - Jinja's signature
        _tick()
        _args_ok(args, kwargs)
        result = super().call(__context, __obj, *args, **kwargs)
        _size_ok(result)
        return result


def render(compiled, context: dict) -> str:
    """Render with a fresh budget and a cap on the output's length."""
    token = _budget.set(_Budget())
    try:
        parts, length = [], 0
        for part in compiled.generate(context):
            length += len(part)
            if length > MAX_OUTPUT:
                raise TemplateRefused(_("The certificate would be too long (more than %(n)s characters of HTML).",
                                        n=MAX_OUTPUT))
            parts.append(part)
        return "".join(parts)
    finally:
        _budget.reset(token)
