"""``flask snapshots backfill``: every closed week, month and year of every user (or one)."""

import time

import click
import sqlalchemy as sa
from flask.cli import AppGroup

from manifest.extensions import db
from manifest.models import User
from manifest.progress import services

snapshots = AppGroup("snapshots", help="Progress snapshots of weeks, months and years.")


@snapshots.command("backfill")
@click.option("--user", "username", default=None, help="Only this username (default: every active user).")
def backfill(username: str | None) -> None:
    """Compute and store the snapshots of every closed period since each user's first record.
    Safe to run again: each snapshot is upserted on its unique key."""
    started = time.perf_counter()
    query = sa.select(User).where(User.is_active)
    if username:
        query = query.where(User.username == username.strip().lower())
    users = list(db.session.scalars(query))
    if username and not users:
        raise click.ClickException(f"No active user named “{username}”.")
    total = 0
    for user in users:
        count = services.backfill(user)
        db.session.commit()
        total += count
        click.echo(f"{user.username}: {count} snapshots")
    click.echo(f"{total} snapshots for {len(users)} users ({time.perf_counter() - started:.1f} s).")
