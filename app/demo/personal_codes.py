"""我的码 in the demo: the code authority's key is made, so scanners paired right after `flask demo`
already carry it in their roster, and the demo participant (李玥, 13800138000) can open /me/code at
once: her phone makes its key and gets its credential on first visit, and her code is accepted at
the camp lessons, events and sessions she holds a place at (loaded by the steps before this one)."""
from __future__ import annotations

from app.demo.context import DemoRun
from app.extensions import db
from app.tickets import phone_keys


def load_personal_codes(run: DemoRun) -> None:
    phone_keys.authority_key()
    db.session.commit()
    if run.demo_user_id is not None:
        run.echo("demo: 我的码 ready (the demo participant opens /me/code on her phone)")
