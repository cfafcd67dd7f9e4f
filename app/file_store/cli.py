"""`flask files`: move an installation's files from its old folders into the store; check that
every stored name a row holds has its file."""
from __future__ import annotations

from pathlib import Path

import click
from flask.cli import AppGroup

from app import file_store
from app.file_store import moving

files_cli = AppGroup("files", help="Uploaded files and print batches in the file store.")


@files_cli.command("migrate")
@click.option("--dry-run", is_flag=True, help="Count what would move; store nothing.")
@click.option("--delete", is_flag=True, help="Remove each old file once its stored copy is verified.")
@click.option("--from", "sources", multiple=True, metavar="FOLDER:KIND",
              help="A folder and its kind (image, private, print) instead of the configured folders.")
def migrate(dry_run, delete, sources):
    """Move the files of UPLOAD_DIR, the private upload folder and CERTIFICATE_PRINT_DIR into the
    configured store (FILE_STORE), verifying each by its SHA-256. Run it again: it moves nothing
    twice. The old files stay unless --delete."""
    folders = [_source(text) for text in sources] or moving.old_folders()
    click.echo(f"store: {file_store.backend().name}" + (" (dry run)" if dry_run else ""))
    failed = 0
    for folder, kind in folders:
        counts = moving.move_folder(folder, kind, dry_run=dry_run, delete=delete)
        failed += len(counts.failed)
        verb = "would move" if dry_run else "moved"
        click.echo(f"{folder} ({kind}): {verb} {counts.moved}, already stored {counts.already}, "
                   f"skipped {len(counts.skipped)}, failed {len(counts.failed)}")
        for name in counts.failed:
            click.echo(f"  failed (stored bytes differ): {name}", err=True)
    if failed:
        raise click.ClickException(f"{failed} file(s) did not verify; their old files are kept")


@files_cli.command("check")
def check():
    """List every file a row names that the store does not hold; exit 1 if any."""
    gone = moving.missing()
    for table, column, name in gone:
        click.echo(f"missing: {table}.{column} {name}")
    click.echo(f"{len(gone)} missing")
    if gone:
        raise SystemExit(1)


def _source(text: str) -> tuple[Path, str]:
    folder, _, kind = text.rpartition(":")
    if not folder or kind not in file_store.KINDS:
        raise click.BadParameter(f"FOLDER:KIND with KIND one of {', '.join(file_store.KINDS)}", param_hint="--from")
    return Path(folder), kind
