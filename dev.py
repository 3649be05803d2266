#!/usr/bin/env python3
"""Development entry point; needs only Python 3.11+.

    python3 dev.py run     virtualenv + install, migrate, demo data, serve on 127.0.0.1:8000
    python3 dev.py test    the whole test suite (extra arguments go to pytest)
    python3 dev.py lint    ruff, formatting, missing migrations, and the apps' import layers
    python3 dev.py bench   the benchmark over HTTP; --quick for the in-process one (bench/README.md)
    python3 dev.py fuzz    the API against its schema, as each role (see fuzz/README.md)

The virtualenv lives in .venv and is (re)installed whenever the requirements files change.
`make run`, `make test`, `make lint`, `make bench` and `make fuzz` call this script.
"""

import hashlib
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / "python"
REQUIREMENTS = [ROOT / "requirements.txt", ROOT / "requirements-dev.txt"]
STAMP = VENV / ".requirements.sha256"
PRODUCTION_CODE = ["lms_project", "common", "accounts", "courses", "enrollments", "assessments"]


def sh(*args: str | Path, env: dict[str, str] | None = None) -> None:
    print("+", " ".join(str(a) for a in args), flush=True)
    result = subprocess.run([str(a) for a in args], cwd=ROOT, env=env, check=False)  # noqa: S603
    if result.returncode:
        sys.exit(result.returncode)


def ensure_venv() -> None:
    digest = hashlib.sha256(b"".join(p.read_bytes() for p in REQUIREMENTS)).hexdigest()
    if PYTHON.exists() and STAMP.exists() and STAMP.read_text() == digest:
        return
    has_pip = (
        PYTHON.exists()
        and not subprocess.run(  # noqa: S603 - our own interpreter
            [str(PYTHON), "-m", "pip", "--version"], capture_output=True, check=False
        ).returncode
    )
    if not has_pip:
        # No virtualenv yet, or one left half-made by an interrupted run: make it anew.
        print(f"Creating the virtualenv in {VENV} ...", flush=True)
        shutil.rmtree(VENV, ignore_errors=True)
        venv.create(VENV, with_pip=True)
    sh(PYTHON, "-m", "pip", "install", "--quiet", "--upgrade", "pip")
    sh(PYTHON, "-m", "pip", "install", "--quiet", "-r", ROOT / "requirements-dev.txt")
    STAMP.write_text(digest)


def manage(*args: str) -> None:
    sh(PYTHON, ROOT / "manage.py", *args)


def run(_: list[str]) -> None:
    env_file = ROOT / ".env"
    if not env_file.exists():
        shutil.copy(ROOT / ".env.example", env_file)
        print("Created .env from .env.example (DEBUG=true, SQLite).", flush=True)
    manage("migrate", "--noinput")
    manage("seed_demo")
    print("\nAPI docs: http://127.0.0.1:8000/api/v1/docs/   Admin: http://127.0.0.1:8000/admin/\n")
    manage("runserver", "127.0.0.1:8000")


def test(args: list[str]) -> None:
    sh(PYTHON, "-m", "pytest", *args)


def lint(_: list[str]) -> None:
    sh(PYTHON, "-m", "ruff", "check", ".")
    sh(PYTHON, "-m", "ruff", "format", "--check", ".")
    # makemigrations reads settings; give it a key when none is configured.
    env = {"SECRET_KEY": "lint-only-key-" + "x" * 40, **os.environ}
    sh(PYTHON, ROOT / "manage.py", "makemigrations", "--check", "--dry-run", env=env)
    # The apps import only the apps below them ([tool.importlinter] in pyproject.toml).
    sh(BIN / "lint-imports")
    # Types, at mypy's strict level ([tool.mypy] in pyproject.toml), over the production code.
    sh(PYTHON, "-m", "mypy", *PRODUCTION_CODE, env=env)


def bench(args: list[str]) -> None:
    if "--quick" in args:  # the in-process check
        sh(PYTHON, ROOT / "bench" / "run.py", *[a for a in args if a != "--quick"])
    else:  # over HTTP, against the stack's own ceiling (bench/http/run.py)
        sh(PYTHON, "-m", "bench.http.run", *args)


def fuzz(args: list[str]) -> None:
    sh(PYTHON, ROOT / "fuzz" / "run.py", *args)


COMMANDS = {"run": run, "test": test, "lint": lint, "bench": bench, "fuzz": fuzz}


def main() -> None:
    if len(sys.argv) < 2 or sys.argv[1] not in COMMANDS:
        print(__doc__)
        sys.exit(2)
    ensure_venv()
    COMMANDS[sys.argv[1]](sys.argv[2:])


if __name__ == "__main__":
    main()
