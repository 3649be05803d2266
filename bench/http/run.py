"""`make bench`: the product over HTTP in production mode, against the stack's own ceiling.

The product runs under gunicorn (sync workers) on PostgreSQL, with Redis as the shared cache when
one answers on 127.0.0.1:6379, with production settings (DEBUG off). Beside it, with the same
worker count, gunicorn serves the baseline: a bare Django `JsonResponse` view with no middleware
(`bench/http/bare_settings.py`). wrk drives both from this machine, rotating learners' tokens and
bodies (`rotate.lua`). Every figure is a ratio to the baseline measured in the same round, so
runs compare across machines; the spread is the lowest and highest ratio over the rounds.

    python3 dev.py bench                 # 3 rounds of 5 s per route: about 5 minutes
    python3 dev.py bench --full          # the recorded run: 5 rounds of 10 s
    python3 dev.py bench --quick         # the in-process check (bench/run.py)

Needs wrk (Debian: `apt-get install wrk`) and PostgreSQL (`BENCH_DATABASE_URL`, default
postgres://postgres@127.0.0.1:5432/lms_bench, dropped and made anew each run). Results go to
bench/results/ (JSON and a Markdown table). Exits non-zero when any request failed.
"""

import argparse
import json
import os
import platform
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import closing
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parents[2]
LUA = Path(__file__).with_name("rotate.lua")
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/lms_bench"
MODERATE_ROUTE = "POST submissions, 20 q"
SETTLE_SECONDS = 1


def free_port() -> int:
    with closing(socket.socket()) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def redis_url() -> str:
    with closing(socket.socket()) as sock:
        sock.settimeout(0.5)
        return "redis://127.0.0.1:6379/3" if sock.connect_ex(("127.0.0.1", 6379)) == 0 else ""


def recreate_database(url: str) -> None:
    import psycopg

    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    admin = parsed._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def product_env(database_url: str, workers: int, port: int) -> dict[str, str]:
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "DJANGO_SETTINGS_MODULE": "bench.http.project_settings",
        "DEBUG": "false",
        "SECRET_KEY": "bench-http-" + "k" * 50,
        "SECURE_SSL_REDIRECT": "false",
        "ALLOWED_HOSTS": "127.0.0.1",
        "API_RATE_LIMIT": "100000000/minute",
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url(),
        "WEB_CONCURRENCY": str(workers),
        "GUNICORN_BIND": f"127.0.0.1:{port}",
        "GUNICORN_LOG_LEVEL": "warning",
    }
    return env


def start_server(env: dict[str, str], wsgi: str) -> subprocess.Popen[bytes]:
    server = subprocess.Popen(  # noqa: S603 - our own server, loopback only
        [
            sys.executable,
            "-m",
            "gunicorn",
            wsgi,
            "-c",
            str(ROOT / "gunicorn.conf.py"),
            "--access-logfile",
            "/dev/null",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
    )
    base = f"http://{env['GUNICORN_BIND']}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(base + "/bench/bare", timeout=2):  # noqa: S310
                return server
        except OSError:
            time.sleep(0.2)
    server.kill()
    raise SystemExit(f"the server on {base} did not start")


def workers_of(server: subprocess.Popen[bytes]) -> list[int]:
    children = Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split()
    return [int(pid) for pid in children]


def cpu_seconds(pids: list[int]) -> float:
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / ticks


def rss_mb(pids: list[int]) -> float:
    sizes = []
    for pid in pids:
        match = re.search(r"VmRSS:\s+(\d+) kB", Path(f"/proc/{pid}/status").read_text())
        sizes.append(int(match.group(1)) / 1024 if match else 0.0)
    return max(sizes)


def wrk(
    base: str, requests_file: str, seconds: int, connections: int, delay_ms: float = 0
) -> dict[str, float]:
    env = {**os.environ, "BENCH_REQUESTS": requests_file, "BENCH_DELAY_MS": str(delay_ms)}
    out = subprocess.run(  # noqa: S603 - wrk from the system, on loopback
        [
            shutil.which("wrk") or "wrk",
            "-t2",
            f"-c{connections}",
            f"-d{seconds}s",
            "--timeout",
            "10s",
            "-s",
            str(LUA),
            base,
        ],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    line = next((line for line in out.splitlines() if line.startswith("BENCH ")), None)
    if line is None:
        raise SystemExit(f"wrk printed no summary:\n{out}")
    # Let the workers finish what wrk left in flight before the next run starts.
    time.sleep(SETTLE_SECONDS)
    count, socket_errors, status_errors, micros, p50, p99 = (float(x) for x in line.split()[1:])
    if os.environ.get("BENCH_DEBUG"):
        print(out, file=sys.stderr)
    return {
        "requests": count,
        "errors": socket_errors + status_errors,
        "rps": count / (micros / 1e6),
        "p50_ms": p50 / 1000,
        "p99_ms": p99 / 1000,
    }


def bare_file(directory: Path) -> str:
    path = directory / "bare.tsv"
    path.write_text("GET\t/bench/bare\t\t\n")
    return str(path)


def summarize(ratios: list[float]) -> str:
    return f"{statistics.median(ratios):.3f} ({min(ratios):.3f}-{max(ratios):.3f})"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--full", action="store_true", help="the recorded run: 5 rounds of 10 s")
    parser.add_argument("--rounds", type=int)
    parser.add_argument("--seconds", type=int)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--learners", type=int, default=1500)
    parser.add_argument("--only", help="run only the routes whose name contains this text")
    args = parser.parse_args()
    rounds = args.rounds or (5 if args.full else 3)
    seconds = args.seconds or (10 if args.full else 5)
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed: apt-get install wrk")
    database_url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_DB)
    recreate_database(database_url)
    product_port, bare_port = free_port(), free_port()
    env = product_env(database_url, args.workers, product_port)
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True
    )
    work = Path(tempfile.mkdtemp(prefix="bench-"))
    built = subprocess.run(  # noqa: S603
        [
            sys.executable,
            "-m",
            "bench.http.dataset",
            "--learners",
            str(args.learners),
            "--out",
            str(work),
        ],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    manifest: dict[str, Any] = json.loads(built.stdout)
    if args.only:
        manifest = {name: item for name, item in manifest.items() if args.only in name}
    bare_env = {
        **env,
        "DJANGO_SETTINGS_MODULE": "bench.http.bare_settings",
        "GUNICORN_BIND": f"127.0.0.1:{bare_port}",
    }
    product = start_server(env, "lms_project.wsgi:application")
    bare = start_server(bare_env, "lms_project.wsgi:application")
    product_base, bare_base = f"http://127.0.0.1:{product_port}", f"http://127.0.0.1:{bare_port}"
    results: dict[str, dict[str, list[float]]] = {name: {} for name in manifest}
    baseline: list[dict[str, float]] = []
    failures = 0
    try:
        pids = workers_of(product)
        wrk(bare_base, bare_file(work), 2, args.connections)  # warm up both
        for item in manifest.values():
            wrk(product_base, item["requests"], 1, args.connections)
        for round_number in range(rounds):
            base_run = wrk(bare_base, bare_file(work), seconds, args.connections)
            baseline.append(base_run)
            failures += int(base_run["errors"])
            for name, item in manifest.items():
                cpu_before = cpu_seconds(pids)
                run = wrk(product_base, item["requests"], seconds, args.connections)
                cpu = (cpu_seconds(pids) - cpu_before) / max(run["requests"], 1) * 1000
                failures += int(run["errors"])
                row = results[name]
                for key, value in (
                    ("ratio", run["rps"] / base_run["rps"]),
                    ("rps", run["rps"]),
                    ("p50_ms", run["p50_ms"]),
                    ("p99_ms", run["p99_ms"]),
                    ("cpu_ms", cpu),
                    ("errors", run["errors"]),
                ):
                    row.setdefault(key, []).append(value)
            print(f"round {round_number + 1}/{rounds} done", file=sys.stderr)
        moderate = None
        best = (
            statistics.median(results[MODERATE_ROUTE]["rps"]) if MODERATE_ROUTE in manifest else 0
        )
        if best > 0:
            rate = best / 2
            delay_ms = args.connections / rate * 1000
            moderate = wrk(
                product_base,
                manifest[MODERATE_ROUTE]["requests"],
                seconds,
                args.connections,
                delay_ms,
            )
            moderate["target_rps"] = rate
            failures += int(moderate["errors"])
        rss = rss_mb(pids)
    finally:
        for server in (product, bare):
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=30)
        shutil.rmtree(work, ignore_errors=True)

    base_rps = statistics.median(b["rps"] for b in baseline)
    header = (
        "| route | ÷ bare view (spread) | req/s | p50 ms | p99 ms | worker CPU ms/req | queries "
        "| errors |\n"
        f"| --- | --- | --- | --- | --- | --- | --- | --- |\n"
        f"| bare view, no middleware (baseline) | 1 | {base_rps:.0f} | "
        f"{statistics.median(b['p50_ms'] for b in baseline):.1f} | "
        f"{statistics.median(b['p99_ms'] for b in baseline):.1f} | | 0 | "
        f"{sum(b['errors'] for b in baseline):.0f} |\n"
    )
    rows = [
        f"| {name} | {summarize(row['ratio'])} | {statistics.median(row['rps']):.0f} | "
        f"{statistics.median(row['p50_ms']):.1f} | {statistics.median(row['p99_ms']):.1f} | "
        f"{statistics.median(row['cpu_ms']):.2f} | {manifest[name]['queries']} | "
        f"{sum(row['errors']):.0f} |"
        for name, row in results.items()
    ]
    machine = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    stamp = datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")
    lines = [
        f"{stamp}; {machine}; gunicorn {args.workers} sync workers, wrk {args.connections} "
        f"connections; {rounds} rounds of {seconds} s; database "
        f"{'PostgreSQL'}; cache {'Redis' if env['REDIS_URL'] else 'per-process memory'}; "
        f"RSS per worker at the end: {rss:.0f} MB",
        "",
        header + "\n".join(rows),
    ]
    if moderate is not None:
        lines += [
            "",
            f"Moderate load, {MODERATE_ROUTE} at {moderate['target_rps']:.0f} req/s (half its "
            f"maximum): {moderate['rps']:.0f} req/s, p50 {moderate['p50_ms']:.1f} ms, p99 "
            f"{moderate['p99_ms']:.1f} ms, {moderate['errors']:.0f} errors.",
        ]
    table = "\n".join(lines)
    print(table)
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / "latest-http.md").write_text(table + "\n")
    (out / "latest-http.json").write_text(
        json.dumps(
            {
                "when": stamp,
                "machine": machine,
                "baseline_rps": base_rps,
                "routes": {n: {**r, "queries": manifest[n]["queries"]} for n, r in results.items()},
                "moderate": moderate,
                "rss_mb": rss,
            },
            indent=2,
        )
    )
    if failures:
        print(f"\n{failures} requests failed", file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
