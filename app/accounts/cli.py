"""`flask users …`: accounts for operators."""
from __future__ import annotations

import click
from flask.cli import AppGroup

from app.accounts import services
from app.errors import ServiceError
from app.extensions import db

users_cli = AppGroup("users", help="Manage accounts.")


@users_cli.command("create")
@click.option("--role", required=True,
              type=click.Choice(["admin", "organiser", "trainer", "judge", "participant"]))
@click.option("--login", required=True, help="Mobile number or email address.")
@click.option("--password", required=True)
@click.option("--name", default=None)
@click.option("--department", "departments", multiple=True, help="Department name or code (repeatable).")
def create_user(role, login, password, name, departments):
    """Create an account of any role."""
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
