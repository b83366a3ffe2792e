"""Load bench: the Today page and a check-in against the framework's floor, under gunicorn.

    DATABASE_URL=postgresql://postgres@127.0.0.1/manifest_bench .venv/bin/python bench/run.py

Migrates the database, seeds the demo account (30 habits x 1095 days by default), starts
gunicorn on a loopback port with the production configuration, logs in ``--clients`` clients
and runs each scenario for ``--seconds`` with that many concurrent keep-alive connections.
Prints a Markdown table, the targets with PASS/MISS, and stops gunicorn whatever happens.

The production configuration marks the session cookie Secure (``__Host-session``). The bench
speaks plain HTTP on loopback, standing where a TLS-terminating proxy would, so its own small
cookie jar sends the cookie back regardless; the application runs exactly as in production.
Everything runs on this machine: client threads compete with the workers for the CPUs.
"""

import argparse
import http.client
import ipaddress
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
DEMO_EMAIL, DEMO_PASSWORD = "demo@example.com", "demo-password-123"
MAX_REQUESTS_PER_CLIENT = 1_000_000  # a hard bound on every measuring loop
CSRF_HEADER = re.compile(r'hx-headers=\'\{"X-CSRFToken": "([^"]+)"\}\'')
CHECKBOX = re.compile(r'<input type="checkbox" id="check-([0-9a-f-]{36})"')
SHOWN_DAY = re.compile(r'<p class="today-date">.*?<time datetime="(\d{4}-\d{2}-\d{2})">', re.DOTALL)

# Targets: share of the floor's throughput, multiple of the floor's p99, Today's page size for
# 30 habits, MB per worker.
MIN_SHARE_OF_FLOOR = 0.40
MAX_P99_VS_FLOOR = 3.0
MAX_PAGE_KB = 30
MAX_WORKER_MB = 150


class BenchError(RuntimeError):
    pass


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=8, help="concurrent logged-in clients (default 8)")
    parser.add_argument("--seconds", type=float, default=10, help="measured seconds per scenario (default 10)")
    parser.add_argument("--rounds", type=int, default=5,
                        help="scenarios take turns in this many slices, so a busy machine weighs on all alike (default 5)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2)")
    parser.add_argument("--threads", type=int, default=4, help="threads per gunicorn worker (default 4)")
    parser.add_argument("--habits", type=int, default=30, help="demo habits to seed (default 30)")
    parser.add_argument("--days", type=int, default=1095, help="days of history to seed (default 1095)")
    parser.add_argument("--skip-seed", action="store_true", help="reuse the demo account as it is")
    parser.add_argument("--app", default="wsgi:app", help="WSGI application for gunicorn (default wsgi:app)")
    args = parser.parse_args(argv)
    for name, low, high in (("clients", 1, 64), ("seconds", 1, 300), ("workers", 1, 16), ("threads", 1, 32),
                            ("rounds", 1, 50)):
        if not low <= getattr(args, name) <= high:
            parser.error(f"--{name} must be between {low} and {high}")
    return args


def database_url() -> str:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgresql://", "postgres://", "postgresql+psycopg2://")):
        raise BenchError("Set DATABASE_URL to a PostgreSQL database, e.g. postgresql://postgres@127.0.0.1/manifest_bench")
    host = urlsplit(url).hostname
    # The bench rewrites the demo account's history: never point it at a shared server.
    if host and host != "localhost" and not _is_loopback(host):
        raise BenchError(f"DATABASE_URL must point at this machine (loopback), not {host}")
    return url


def _is_loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def run_flask(env: dict, *args: str, timeout: float = 600) -> str:
    command = [sys.executable, "-m", "flask", "--app", "wsgi", *args]
    done = subprocess.run(command, check=False, cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout)
    if done.returncode:
        raise BenchError(f"{' '.join(args)} failed:\n{done.stdout}{done.stderr}")
    return done.stdout.strip()


# --- HTTP client -------------------------------------------------------------------------

class Client:
    """One keep-alive connection with its own cookies, like one browser tab."""

    def __init__(self, port: int):
        self.port = port
        self.cookies: dict[str, str] = {}
        self.connection = http.client.HTTPConnection(HOST, port, timeout=30)
        self.csrf = ""

    def request(self, method: str, path: str, body: str | None = None, headers: dict | None = None):
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        for attempt in (1, 2):
            try:
                self.connection.request(method, path, body=body, headers=headers)
                response = self.connection.getresponse()
                data = response.read()
                break
            except (http.client.RemoteDisconnected, ConnectionError):
                # The server may close an idle keep-alive connection between scenarios.
                self.connection.close()
                if attempt == 2:
                    raise
        for header in response.msg.get_all("Set-Cookie") or []:
            jar = SimpleCookie()
            jar.load(header)
            for name, morsel in jar.items():
                if morsel.value and morsel["max-age"] != "0":
                    self.cookies[name] = morsel.value
                else:
                    self.cookies.pop(name, None)
        return response.status, data.decode("utf-8", "replace")

    def log_in(self) -> str:
        status, page = self.request("GET", "/login")
        token = CSRF_HEADER.search(page)
        if status != 200 or not token:
            raise BenchError(f"GET /login answered {status} without a CSRF token")
        body = urlencode({"identifier": DEMO_EMAIL, "password": DEMO_PASSWORD, "csrf_token": token.group(1)})
        status, page = self.request("POST", "/login", body)
        if status != 303:
            raise BenchError(f"login answered {status}: {page[:300]}")
        status, page = self.request("GET", "/")
        token = CSRF_HEADER.search(page)
        if status != 200 or not token:
            raise BenchError(f"GET / after login answered {status}")
        self.csrf = token.group(1)
        return page

    def close(self) -> None:
        self.connection.close()


# --- scenarios ---------------------------------------------------------------------------

@dataclass
class Result:
    name: str
    seconds: float
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    first_error: str = ""

    def merge(self, other: "Result") -> None:
        self.seconds += other.seconds
        self.latencies.extend(other.latencies)
        self.errors += other.errors
        self.first_error = self.first_error or other.first_error

    @property
    def rate(self) -> float:
        return len(self.latencies) / self.seconds if self.seconds else 0.0

    def percentile(self, share: float) -> float:
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(share * len(ordered)))] * 1000

    @property
    def p50(self) -> float:
        return self.percentile(0.50)

    @property
    def p99(self) -> float:
        return self.percentile(0.99)


def measure(name: str, clients: list[Client], send, expected: int, seconds: float, warmup: float) -> Result:
    """Run ``send(client, i)`` in one thread per client: ``warmup`` seconds unrecorded, then ``seconds``."""
    result = Result(name, seconds)
    lock = threading.Lock()
    start_gate = threading.Barrier(len(clients) + 1)
    times: dict[str, float] = {}

    def worker(index: int, client: Client) -> None:
        own, errors, first_error = [], 0, ""
        start_gate.wait()
        for count in range(MAX_REQUESTS_PER_CLIENT):
            began = time.perf_counter()
            if began >= times["end"]:
                break
            try:
                status, body = send(client, count)
            except (OSError, http.client.HTTPException) as error:
                status, body = 0, repr(error)
            elapsed = time.perf_counter() - began
            if began < times["measure"]:
                continue
            if status == expected:
                own.append(elapsed)
            else:
                errors += 1
                first_error = first_error or f"{status}: {body[:200]}"
        with lock:
            result.latencies.extend(own)
            result.errors += errors
            result.first_error = result.first_error or first_error

    threads = [threading.Thread(target=worker, args=(i, c), daemon=True) for i, c in enumerate(clients)]
    for thread in threads:
        thread.start()
    now = time.perf_counter()
    times["measure"] = now + warmup
    times["end"] = now + warmup + seconds
    start_gate.wait()
    for thread in threads:
        thread.join(timeout=warmup + seconds + 60)
    return result


def toggle_sender(clients: list[Client], page: str):
    """Each client flips one yes/no habit of today's board, done then not done, and so on."""
    habit_ids = CHECKBOX.findall(page)
    day = SHOWN_DAY.search(page)
    if not habit_ids or not day:
        raise BenchError("the Today page shows no yes/no habit to check in")
    paths = {id(c): f"/habits/{habit_ids[i % len(habit_ids)]}/days/{day.group(1)}" for i, c in enumerate(clients)}

    def send(client: Client, count: int):
        state = "done" if count % 2 == 0 else "not_done"
        headers = {"X-CSRFToken": client.csrf, "HX-Request": "true"}
        return client.request("POST", paths[id(client)], urlencode({"state": state}), headers)

    return send


# --- gunicorn ----------------------------------------------------------------------------

def start_gunicorn(env: dict, app: str, port: int, workers: int, threads: int, log: Path) -> subprocess.Popen:
    command = [
        sys.executable, "-m", "gunicorn", app, "--bind", f"{HOST}:{port}",
        "--workers", str(workers), "--threads", str(threads), "--preload",
    ]
    with log.open("w") as out:
        # A session of its own, so the whole server (master and workers) stops together.
        return subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
                                start_new_session=True)


def wait_until_serving(server: subprocess.Popen, port: int, log: Path, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise BenchError(f"gunicorn exited with {server.returncode}:\n{log.read_text()[-3000:]}")
        try:
            connection = http.client.HTTPConnection(HOST, port, timeout=2)
            connection.request("GET", "/login")
            if connection.getresponse().status == 200:
                connection.close()
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise BenchError(f"gunicorn did not answer within {timeout:.0f} s:\n{log.read_text()[-3000:]}")


def worker_pids(master: int) -> list[int]:
    children = Path(f"/proc/{master}/task/{master}/children")
    if children.exists():
        return [int(pid) for pid in children.read_text().split()]
    pids = []
    for status in Path("/proc").glob("[0-9]*/status"):
        try:
            if f"\nPPid:\t{master}\n" in status.read_text():
                pids.append(int(status.parent.name))
        except OSError:
            continue
    return pids


def memory_mb(pid: int) -> tuple[float, float]:
    """(peak, current) resident memory of a process, from VmHWM and VmRSS."""
    fields = dict(line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines() if ":" in line)
    try:
        return int(fields["VmHWM"].split()[0]) / 1024, int(fields["VmRSS"].split()[0]) / 1024
    except KeyError:
        raise BenchError(f"no memory figures for process {pid}") from None


def stop(server: subprocess.Popen | None) -> None:
    if server is None or server.poll() is not None:
        return
    try:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait(timeout=5)
    except ProcessLookupError:
        pass


# --- report ------------------------------------------------------------------------------

def report(results: list[Result], memory: dict[int, tuple[float, float]], args) -> list[bool]:
    floor = results[0]
    print(f"\n### Bench: {args.workers} workers x {args.threads} threads, {args.clients} clients, "
          f"{args.seconds:g} s per scenario in {args.rounds} turns, {args.habits} habits x {args.days} days; "
          f"{os.cpu_count()} CPUs shared with the client, load average before the run {args.load:.1f}\n")
    print("| scenario | requests | errors | req/s | p50 ms | p99 ms | req/s vs floor | p99 vs floor |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for r in results:
        print(f"| {r.name} | {len(r.latencies)} | {r.errors} | {r.rate:.0f} | {r.p50:.1f} | {r.p99:.1f} | "
              f"{r.rate / floor.rate:.0%} | {r.p99 / floor.p99:.2f}x |")
    print()
    # Each login hashes with argon2id (64 MiB by default), which is usually what sets the peak.
    print("| gunicorn worker | peak memory (VmHWM) | at the end (VmRSS) |")
    print("|---|---:|---:|")
    for pid, (peak, now) in memory.items():
        print(f"| pid {pid} | {peak:.1f} MB | {now:.1f} MB |")
    today, toggle = results[1], results[2]
    peaks = [peak for peak, _ in memory.values()]
    page_kb = args.page_bytes / 1000
    targets = [
        (f"toggle throughput >= {MIN_SHARE_OF_FLOOR:.0%} of floor", toggle.rate >= MIN_SHARE_OF_FLOOR * floor.rate,
         f"{toggle.rate / floor.rate:.0%} ({toggle.rate:.0f} vs {floor.rate:.0f} req/s)"),
        (f"toggle p99 <= {MAX_P99_VS_FLOOR:g}x floor p99", toggle.p99 <= MAX_P99_VS_FLOOR * floor.p99,
         f"{toggle.p99 / floor.p99:.2f}x ({toggle.p99:.1f} vs {floor.p99:.1f} ms)"),
        (f"Today throughput >= {MIN_SHARE_OF_FLOOR:.0%} of floor", today.rate >= MIN_SHARE_OF_FLOOR * floor.rate,
         f"{today.rate / floor.rate:.0%} ({today.rate:.0f} vs {floor.rate:.0f} req/s)"),
        (f"Today's page <= {MAX_PAGE_KB} KB ({args.habits} habits)", page_kb <= MAX_PAGE_KB, f"{page_kb:.1f} KB"),
        (f"peak memory <= {MAX_WORKER_MB} MB per worker", bool(peaks) and max(peaks) <= MAX_WORKER_MB,
         f"max {max(peaks, default=0):.1f} MB"),
    ]
    print()
    print("| target | result | measured |")
    print("|---|---|---|")
    for name, ok, figure in targets:
        print(f"| {name} | {'PASS' if ok else 'MISS'} | {figure} |")
    for r in results:
        if r.errors:
            print(f"\n{r.name}: {r.errors} unexpected answers, first: {r.first_error}")
    return [ok for _, ok, _ in targets]


def main(argv=None) -> int:
    args = parse_args(argv)
    args.load = os.getloadavg()[0]
    env = {
        **os.environ, "DATABASE_URL": database_url(), "APP_ENV": "production",
        "SECRET_KEY": secrets.token_urlsafe(48), "PROXY_COUNT": "0", "FLASK_APP": "wsgi",
    }
    # A SIGTERM to the bench must still stop gunicorn: turn it into an exception.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))

    print("Migrating the database…", file=sys.stderr)
    run_flask(env, "db", "upgrade")
    if not args.skip_seed:
        print(f"Seeding {args.habits} habits x {args.days} days…", file=sys.stderr)
        print(run_flask(env, "seed-demo", "--habits", str(args.habits), "--days", str(args.days)).splitlines()[0],
              file=sys.stderr)

    server = None
    clients: list[Client] = []
    with tempfile.TemporaryDirectory(prefix="manifest-bench-") as scratch:
        log = Path(scratch) / "gunicorn.log"
        try:
            port = free_port()
            server = start_gunicorn(env, args.app, port, args.workers, args.threads, log)
            wait_until_serving(server, port, log)
            print(f"gunicorn serving on {HOST}:{port}; logging in {args.clients} clients…", file=sys.stderr)
            clients = [Client(port) for _ in range(args.clients)]
            pages = [client.log_in() for client in clients]
            args.page_bytes = len(pages[0].encode())

            scenarios = [
                ("GET /session (floor)", lambda c, n: c.request("GET", "/session"), 204),
                ("GET / (Today)", lambda c, n: c.request("GET", "/"), 200),
                ("POST check-in (toggle)", toggle_sender(clients, pages[0]), 200),
            ]
            results = [Result(name, 0) for name, _, _ in scenarios]
            for round_number in range(args.rounds):
                print(f"Round {round_number + 1} of {args.rounds}…", file=sys.stderr)
                for (name, send, expected), total in zip(scenarios, results, strict=True):
                    warmup = min(2.0, args.seconds / 5) if round_number == 0 else 0.0
                    part = measure(name, clients, send, expected, args.seconds / args.rounds, warmup)
                    if not part.latencies:
                        raise BenchError(f"{name}: no request succeeded; first answer: {part.first_error}")
                    total.merge(part)
            memory = {pid: memory_mb(pid) for pid in worker_pids(server.pid)}
        finally:
            for client in clients:
                client.close()
            stop(server)
    passed = report(results, memory, args)
    return 0 if all(passed) else 1


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BenchError as error:
        print(f"bench: {error}", file=sys.stderr)
        sys.exit(2)
