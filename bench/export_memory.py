"""Export bench: peak memory of building a whole-account export, for a small and a large account.

    .venv/bin/python bench/export_memory.py                       # temporary SQLite database
    DATABASE_URL=postgresql://postgres@127.0.0.1/manifest_bench .venv/bin/python bench/export_memory.py

Seeds the demo account (habits, meals, workouts with sets, reviews and journal over --days, meals on
every day), gives it --attachments-mb of attachments (incompressible files of 2 MB), then builds its
export in a fresh process and prints one line per account: rows, archive size, time and peak
memory. The export reads rows in batches and streams files into the archive, so the large account's
peak should sit within a few MB of the small one's. Figures are printed, never asserted.
"""

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

FILE_MB = 2


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux


def seed(days: int, attachments_mb: int) -> None:
    """The demo account with a history of ``days`` in every area and its attachments."""
    import random
    from datetime import timedelta
    from decimal import Decimal

    import sqlalchemy as sa

    from manifest import create_app
    from manifest.extensions import db
    from manifest.media.storage import get_storage, new_key
    from manifest.models import Food, Media, User, Workout
    from manifest.timeutil import local_today

    app = create_app()
    runner = app.test_cli_runner()
    result = runner.invoke(args=["seed-demo", "--habits", "30", "--days", str(days)])
    if result.exit_code:
        raise SystemExit(result.output)
    with app.app_context():
        user = db.session.scalars(sa.select(User).where(User.email == "demo@example.com")).one()
        today = local_today(user)
        # The demo keeps 90 days of meals; a long-time logger has them every day.
        rng = random.Random(7)
        rows = [
            {"user_id": user.id, "meal_date": today - timedelta(days=d), "meal_type": meal,
             "food_name": f"Meal {rng.randint(1, 40)}", "calories": Decimal(rng.randint(150, 900))}
            for d in range(90, days) for meal in ("breakfast", "lunch", "dinner")
        ]
        for start in range(0, len(rows), 5000):
            db.session.execute(sa.insert(Food), rows[start:start + 5000])
        workouts = db.session.scalars(sa.select(Workout.id).where(Workout.user_id == user.id)).all()
        storage = get_storage()
        db.session.execute(sa.delete(Media).where(Media.user_id == user.id))
        for n in range(attachments_mb // FILE_MB):
            key = new_key(user.id, "bin")
            storage.save(key, os.urandom(FILE_MB * 1024 * 1024), "application/octet-stream")
            db.session.add(Media(user_id=user.id, file_name=f"scan-{n}.bin", file_path=key,
                                 file_type="application/octet-stream", file_size=FILE_MB * 1024 * 1024,
                                 related_to_type="workout", related_to_id=workouts[n % len(workouts)]))
        db.session.commit()


def measure(target: str) -> None:
    """Child process: build the demo account's export into ``target`` and print the figures."""
    import sqlalchemy as sa

    from manifest import create_app
    from manifest.extensions import db
    from manifest.models import User
    from manifest.transfer import export

    app = create_app()
    with app.app_context():
        user = db.session.scalars(sa.select(User).where(User.email == "demo@example.com")).one()
        counts, media_bytes = export.plan(user)
        before = peak_mb()
        started = time.perf_counter()
        export.write_archive(user, Path(target))
        seconds = time.perf_counter() - started
    print(f"{sum(counts.values())}\t{media_bytes}\t{Path(target).stat().st_size}\t{seconds:.1f}\t"
          f"{before:.0f}\t{peak_mb():.0f}")


def run_account(env: dict, days: int, attachments_mb: int, folder: Path) -> str:
    subprocess.run([sys.executable, __file__, "--seed", "--days", str(days), "--attachments-mb", str(attachments_mb)],
                   check=True, cwd=ROOT, env=env)
    done = subprocess.run([sys.executable, __file__, "--measure", str(folder / f"export-{days}.zip")],
                          check=True, cwd=ROOT, env=env, capture_output=True, text=True)
    rows, media, size, seconds, before, peak = done.stdout.strip().splitlines()[-1].split("\t")
    return (f"| {days} days, {int(rows):,} rows, {int(media) / 2**20:.0f} MB attachments "
            f"| {int(size) / 2**20:.0f} MB | {seconds} s | {before} MB | {peak} MB |")


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--days", type=int, default=1095, help="history of the large account (default 1095)")
    parser.add_argument("--attachments-mb", type=int, default=200, help="attachments of the large account (default 200)")
    parser.add_argument("--seed", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--measure", metavar="TARGET", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.seed:
        return seed(args.days, args.attachments_mb)
    if args.measure:
        return measure(args.measure)
    with tempfile.TemporaryDirectory(prefix="manifest-export-bench-") as tmp:
        folder = Path(tmp)
        env = {**os.environ, "APP_ENV": "development", "MEDIA_ROOT": str(folder / "media"),
               "EXPORT_ROOT": str(folder / "exports"), "PYTHONPATH": str(ROOT),
               "DATABASE_URL": os.environ.get("DATABASE_URL") or f"sqlite:///{folder / 'bench.db'}"}
        subprocess.run([sys.executable, "-m", "flask", "--app", "wsgi", "db", "upgrade"], check=True, cwd=ROOT,
                       env=env, capture_output=True)
        print("| account | archive | time | memory before | peak memory |")
        print("|---|---|---|---|---|")
        print(run_account(env, 90, 10, folder), flush=True)
        print(run_account(env, args.days, args.attachments_mb, folder), flush=True)


if __name__ == "__main__":
    main()
