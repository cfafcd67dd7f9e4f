"""`flask backup create|restore`: see README.md, "Backups"."""
from __future__ import annotations

import click
from flask import current_app
from flask.cli import AppGroup
from flask_babel import force_locale

from app.backup import services
from app.backup.errors import BackupRefused

def _language():
    """A command has no browser to choose a language: refusals are in the installation's own."""
    return force_locale(current_app.config.get("BABEL_DEFAULT_LOCALE") or "zh_CN")


def _refusal(exc: BackupRefused) -> click.ClickException:
    return click.ClickException(f"{exc.message} [{exc.code}]")  # the code: for scripts


backup_cli = AppGroup("backup", help="Back up the database and the stored files into one archive, and restore it.")


@backup_cli.command("create")
@click.option("--output", type=click.Path(dir_okay=False), default=None,
              help="The archive to write (default: minhang-backup-<UTC time>.tar here).")
def create(output):
    """One .tar: a consistent database snapshot, every configured file folder, a manifest with
    sizes, sha256 checksums and row counts."""
    with _language():
        try:
            services.create(current_app.config, output, echo=click.echo)
        except BackupRefused as exc:
            raise _refusal(exc) from None


@backup_cli.command("restore")
@click.argument("archive", type=click.Path(dir_okay=False))
@click.option("--database-url", required=True, help="The database to restore into (create it first, empty).")
@click.option("--files-to", type=click.Path(file_okay=False), default=None,
              help="Restore the files into <DIR>/<folder> instead of this installation's configured folders.")
@click.option("--force", is_flag=True, help="Restore over a database or folders that are not empty.")
def restore(archive, database_url, files_to, force):
    """Verify every checksum, then restore the database and the files, then check every table's
    row count against the manifest."""
    with _language():
        try:
            services.restore(current_app.config, archive, database_url, files_to=files_to, force=force,
                             echo=click.echo)
        except BackupRefused as exc:
            raise _refusal(exc) from None
    click.echo("restored")
