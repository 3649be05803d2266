#!/usr/bin/env python
"""`make fuzz`: schemathesis against the real server, one role at a time.

    python3 dev.py fuzz [--examples 8] [--seed 1] [--keep]

1. A throwaway database: a fresh SQLite file in a temporary directory (or FUZZ_DATABASE_URL,
   e.g. postgres://postgres@127.0.0.1:5432/lms_fuzz, which is dropped and made anew), migrated
   and seeded by `fuzz/world.py` (the demo data, a submission, an attempt, a token per role).
2. gunicorn on a free port of 127.0.0.1, production-like: DEBUG=false, a SECRET_KEY,
   SECURE_SSL_REDIRECT=false, the rate limit raised (API_RATE_LIMIT) for the run.
3. `schemathesis run` over every operation of /api/v1/schema/, positive and negative data, as
   the learner, the instructor and the admin, side by side, each on a data set of its own
   (`fuzz/hooks.py` sends the role's token and puts its real ids in the paths). Deletions and
   logout run last, after every role's other calls, so they do not empty the data sets under
   the rest.
4. The server is stopped; the run exits non-zero on any failure of the checks below.

Reports (JUnit XML and the output of each pass) and the server's log go to fuzz/results/ (not
committed).
"""

import argparse
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
RESULTS = ROOT / "fuzz" / "results"
ROLES = ("learner", "instructor", "admin")
CHECKS = ",".join(
    [
        "not_a_server_error",
        "status_code_conformance",
        "content_type_conformance",
        "response_headers_conformance",
        "response_schema_conformance",
        "negative_data_rejection",
    ]
)
# Operations that end what the other passes need (the seeded objects, the caller's token).
LAST = ["--include-method", "DELETE", "--include-path", "/api/v1/auth/logout"]
NOT_LAST = ["--exclude-method", "DELETE", "--exclude-path", "/api/v1/auth/logout"]
# Login and refresh take no token: they are fuzzed once, in a pass of their own beside the
# roles' (each login hashes a password, the slowest thing the server does).
PUBLIC_PATHS = ["/api/v1/auth/login", "/api/v1/auth/refresh"]
PUBLIC = [arg for path in PUBLIC_PATHS for arg in ("--include-path", path)]
NOT_PUBLIC = [arg for path in PUBLIC_PATHS for arg in ("--exclude-path", path)]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def database_url(tmp: Path) -> str:
    url = os.environ.get("FUZZ_DATABASE_URL")
    if not url:
        return f"sqlite:///{tmp / 'fuzz.sqlite3'}"
    # A PostgreSQL database of its own, made anew: never the development or test one.
    name = url.rsplit("/", 1)[1]
    if not name.startswith("lms_fuzz"):
        sys.exit(f"FUZZ_DATABASE_URL must name a database called lms_fuzz*, not {name!r}")
    admin_url = url.rsplit("/", 1)[0] + "/postgres"
    import psycopg  # only for this case

    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    return url


def wait_until_up(base_url: str, server: subprocess.Popen[bytes], deadline: float) -> None:
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit("The server stopped before answering; see fuzz/results/server.log")
        try:
            with urllib.request.urlopen(f"{base_url}/healthz", timeout=2) as answer:  # noqa: S310
                if answer.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    sys.exit("The server did not answer /healthz in time; see fuzz/results/server.log")


def schemathesis(
    name: str,
    role: str,
    selection: list[str],
    args: argparse.Namespace,
    base_url: str,
    env: dict[str, str],
) -> tuple[str, subprocess.Popen[bytes], Path]:
    """Starts one pass as `role`; its output goes to fuzz/results/<name>.log."""
    command = [
        str(BIN / "schemathesis"),
        "--config-file",
        str(ROOT / "fuzz" / "schemathesis.toml"),
        "run",
        f"{base_url}/api/v1/schema/?format=json",
        "--url",
        base_url,
        "--checks",
        CHECKS,
        "--mode",
        "all",
        "--phases",
        "examples,coverage,fuzzing",
        "--max-examples",
        str(args.examples),
        "--seed",
        str(args.seed),
        # One worker per pass (the passes run side by side): schemathesis's worker threads
        # trip a CPython 3.11 bug in concurrent `ast.parse` now and then.
        "--workers",
        "1",
        "--generation-database",
        "none",
        "--generation-with-security-parameters",
        "false",
        "--request-timeout",
        "30",
        "--continue-on-failure",
        "--no-color",
        "--report",
        "junit",
        "--report-junit-path",
        str(RESULTS / f"{name}.xml"),
        *selection,
    ]
    output = RESULTS / f"{name}.log"
    with output.open("wb") as out:
        process = subprocess.Popen(  # noqa: S603
            command, cwd=ROOT, env={**env, "FUZZ_ROLE": role}, stdout=out, stderr=subprocess.STDOUT
        )
    return name, process, output


def run_stage(
    stage: list[tuple[str, str, list[str]]],
    args: argparse.Namespace,
    base_url: str,
    env: dict[str, str],
) -> list[str]:
    """The stage's passes (name, role, operations), side by side; the names of those that
    failed."""
    started = time.monotonic()
    passes = [schemathesis(*plan, args, base_url, env) for plan in stage]
    failed = []
    try:
        for _name, process, _output in passes:
            process.wait(timeout=max(1.0, started + args.timeout - time.monotonic()))
    except subprocess.TimeoutExpired:
        print(f"A pass ran over {args.timeout}s: stopped.", flush=True)
    finally:
        for _name, process, _output in passes:
            if process.poll() is None:
                process.kill()
                process.wait()
    for name, process, output in passes:
        code = process.returncode
        print(f"\n== {name}: exit {code} ==", flush=True)
        sys.stdout.write(output.read_text())
        if code:
            failed.append(name)
    print(f"== stage done in {time.monotonic() - started:.0f}s ==", flush=True)
    return failed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--examples", type=int, default=5, help="cases per operation in the fuzzing phase"
    )
    parser.add_argument(
        "--timeout", type=int, default=600, help="seconds a stage may take before it is stopped"
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", action="store_true", help="keep the temporary directory")
    args = parser.parse_args()

    started = time.monotonic()
    RESULTS.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix="lms-fuzz-"))
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "DEBUG": "false",
        "SECRET_KEY": "fuzz-only-secret-key-" + "x" * 40,
        "SECURE_SSL_REDIRECT": "false",
        "ALLOWED_HOSTS": "127.0.0.1",
        "API_RATE_LIMIT": "1000000/minute",
        "DATABASE_URL": database_url(tmp),
        "FUZZ_WORLD": str(tmp / "world.json"),
        "FUZZ_BASE_URL": base_url,
        "SCHEMATHESIS_HOOKS": "fuzz.hooks",
    }
    env.pop("REDIS_URL", None)
    subprocess.run(  # noqa: S603
        [sys.executable, str(ROOT / "fuzz" / "world.py"), env["FUZZ_WORLD"]], env=env, check=True
    )

    log = (RESULTS / "server.log").open("wb")
    server = subprocess.Popen(  # noqa: S603
        [
            str(BIN / "gunicorn"),
            "lms_project.wsgi",
            "--config",
            str(ROOT / "gunicorn.conf.py"),
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "4",
            "--timeout",
            "60",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    failed: list[str] = []
    try:
        wait_until_up(base_url, server, time.monotonic() + 30)
        # Each role's pass works on its own data set (fuzz/world.py), so they run side by side.
        main_stage = [(f"{role}-main", role, NOT_LAST + NOT_PUBLIC) for role in ROLES]
        failed += run_stage([*main_stage, ("public", ROLES[0], PUBLIC)], args, base_url, env)
        failed += run_stage([(f"{role}-last", role, LAST) for role in ROLES], args, base_url, env)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
        log.close()
        if args.keep:
            print(f"Kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    elapsed = time.monotonic() - started
    if failed:
        print(f"\nfuzz: FAILED for {', '.join(failed)} in {elapsed:.0f}s", flush=True)
        sys.exit(1)
    print(f"\nfuzz: no failures in {elapsed:.0f}s", flush=True)


if __name__ == "__main__":
    main()
