"""`flask` commands for operators: accounts, demo data, the mail outbox."""
from __future__ import annotations

import click
from flask import Flask
from flask.cli import AppGroup

from app.errors import ServiceError
from app.extensions import db

users_cli = AppGroup("users", help="Manage accounts.")
outbox_cli = AppGroup("outbox", help="The mail outbox.")
sms_cli = AppGroup("sms", help="Text messages (SMS).")
reminders_cli = AppGroup("reminders", help="Reminders before occasions.")


@users_cli.command("create")
@click.option("--role", required=True,
              type=click.Choice(["admin", "organiser", "trainer", "judge", "participant"]))
@click.option("--login", required=True, help="Mobile number or email address.")
@click.option("--password", required=True)
@click.option("--name", default=None)
@click.option("--department", "departments", multiple=True, help="Department name or code (repeatable).")
def create_user(role, login, password, name, departments):
    """Create an account of any role."""
    from app.accounts import services

    services.ensure_departments()
    try:
        user = services.create_user(login=login, password=password, role=role, name=name,
                                    departments=list(departments))
    except ServiceError as exc:
        db.session.rollback()
        detail = "; ".join(f"{k}: {v}" for k, v in exc.fields.items()) or str(exc.message)
        raise click.ClickException(detail) from None
    db.session.commit()
    click.echo(f"created {role} #{user.id} {user.name} ({login})")


@outbox_cli.command("send")
def outbox_send():
    """Send queued mail now (when MAIL_SERVER is configured)."""
    from app.notifications.services import deliver

    counts = deliver()
    click.echo(f"sent {counts['sent']}, failed {counts['failed']}")


@sms_cli.command("send")
def sms_send():
    """Send the text messages that are due (needs SMS_PROVIDER)."""
    from app.notifications.sms.services import deliver_due

    counts = deliver_due()
    click.echo(", ".join(f"{k} {v}" for k, v in counts.items()))


@reminders_cli.command("send")
def reminders_send():
    """Send the reminders that are due (the sweep: RQ's scheduler sends them on time when
    REDIS_URL is set; this catches anything it missed, and is the way without Redis)."""
    from app.reminders.services import send_due

    counts = send_due()
    click.echo(f"sent {counts['sent']}, skipped {counts['skipped']}")


@click.command("demo")
@click.option("--participants", default=300, show_default=True, help="How many participant accounts.")
@click.option("--seed", default=2026, show_default=True)
def demo(participants, seed):
    """Load the believable demo data set (idempotent)."""
    from app.demo.loader import load_demo

    summary = load_demo(participants=participants, seed=seed, echo=click.echo)
    click.echo(summary)


def init_app(app: Flask) -> None:
    from app.certificates.cli import certificates_cli, rq_cli

    app.cli.add_command(certificates_cli)
    app.cli.add_command(rq_cli)
    app.cli.add_command(users_cli)
    app.cli.add_command(outbox_cli)
    app.cli.add_command(sms_cli)
    app.cli.add_command(reminders_cli)
    app.cli.add_command(demo)
