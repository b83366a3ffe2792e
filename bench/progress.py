"""In-process bench of the progress pages for a user with three years in every area.

    .venv/bin/python bench/progress.py                      # a temporary SQLite database
    DATABASE_URL=postgresql://postgres@127.0.0.1/manifest_bench .venv/bin/python bench/progress.py

Seeds the demo account (``flask seed-demo``, 12 habits x 1095 days, meals, workouts, reviews,
journal, weigh-ins), stores its snapshots (``flask snapshots backfill``), then renders each page
with Flask's test client, in this process, and prints the median and slowest of ``--runs``
renders and the statements each sends, against the 150 ms target. It measures the server's
work for one request, not a server under load (that is bench/run.py).
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_MS = 150
PAGES = ("/progress/?period=weekly", "/progress/?period=monthly", "/progress/?period=yearly",
         "/progress/insights", "/progress/measurements", "/progress/year/{year}")


def flask(env: dict, *args: str) -> str:
    done = subprocess.run([str(ROOT / ".venv/bin/flask"), *args], check=False, cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=1200)
    if done.returncode:
        raise SystemExit(f"flask {' '.join(args)} failed:\n{done.stderr}")
    return done.stdout.strip()


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--days", type=int, default=1095, help="days of history (default 1095)")
    parser.add_argument("--runs", type=int, default=15, help="renders per page (default 15)")
    parser.add_argument("--skip-seed", action="store_true", help="reuse the demo account as it is")
    args = parser.parse_args(argv)
    if not 1 <= args.runs <= 200 or not 30 <= args.days <= 3650:
        parser.error("--runs must be 1-200 and --days 30-3650")

    scratch = tempfile.TemporaryDirectory()
    url = os.environ.get("DATABASE_URL") or f"sqlite:///{scratch.name}/bench.db"
    env = {**os.environ, "DATABASE_URL": url, "FLASK_APP": "wsgi", "APP_ENV": "development"}
    flask(env, "db", "upgrade")
    if not args.skip_seed:
        print(flask(env, "seed-demo", "--habits", "12", "--days", str(args.days)).splitlines()[0])
        print(flask(env, "snapshots", "backfill", "--user", "demo").splitlines()[-1])

    os.environ.update(DATABASE_URL=url, APP_ENV="development")
    sys.path.insert(0, str(ROOT))
    import sqlalchemy as sa

    from manifest import create_app
    from manifest.extensions import db

    app = create_app()
    app.config["WTF_CSRF_ENABLED"] = False  # the bench signs in with a plain form post
    client = app.test_client()
    response = client.post("/login", data={"identifier": "demo@example.com", "password": "demo-password-123"})
    if response.status_code != 303:
        raise SystemExit("could not sign in as the demo account")
    with app.app_context():
        engine = db.engine
    statements: list[str] = []
    sa.event.listen(engine, "before_cursor_execute", lambda *a: statements.append(a[2]))

    year = time.gmtime().tm_year
    print(f"\n| page ({args.days} days of history) | median ms | slowest ms | statements | target |")
    print("|---|---:|---:|---:|---|")
    missed = 0
    for page in PAGES:
        path = page.format(year=year)
        client.get(path)  # templates compiled, any missing snapshot computed
        timings = []
        for _ in range(args.runs):
            statements.clear()
            started = time.perf_counter()
            status = client.get(path).status_code
            timings.append((time.perf_counter() - started) * 1000)
            if status != 200:
                raise SystemExit(f"{path} answered {status}")
        median = statistics.median(timings)
        verdict = "PASS" if median <= TARGET_MS else "MISS"
        missed += verdict == "MISS"
        print(f"| {path} | {median:.0f} | {max(timings):.0f} | {len(statements)} | {verdict} (≤ {TARGET_MS} ms) |")
    scratch.cleanup()
    return 1 if missed else 0


if __name__ == "__main__":
    raise SystemExit(main())
