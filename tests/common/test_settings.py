"""The one settings module (SPEC §11), imported fresh in a subprocess with a given environment.

Tests of defaults import a copy of `lms_project/settings.py` from an empty directory, so a
developer's `.env` beside `manage.py` cannot change what they see."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parents[2]
PRODUCTION_KEY = "k3J9-vQx7_Lp2Rz8Tn4Wm6Ys1Ub5Hd0Gf3Ce7Ba9Xo2Ni4Mk6Jl8Pq1Rs5Tv7Wy0Z"
# Variables that configure the settings; the subprocess starts with none of them.
CONFIG_VARIABLES = (
    "DEBUG",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "CSRF_TRUSTED_ORIGINS",
    "DATABASE_URL",
    "REDIS_URL",
    "API_RATE_LIMIT",
    "SECURE_SSL_REDIRECT",
    "ATTEMPT_GRACE_SECONDS",
    "NUM_PROXIES",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "DJANGO_SETTINGS_MODULE",
)
PRINT_SETTINGS = (
    "import lms_project.settings as s; "
    "print(s.DEBUG, s.SECURE_SSL_REDIRECT, s.API_RATE_LIMIT, s.ATTEMPT_GRACE_SECONDS, "
    "s.DATABASES['default']['ENGINE'], s.CACHES['default']['BACKEND'].rsplit('.', 1)[-1], "
    "s.REST_FRAMEWORK['NUM_PROXIES'], s.SESSION_COOKIE_SECURE, s.SECURE_HSTS_SECONDS)"
)


def run(args, cwd=BASE_DIR, **env):
    environment = {k: v for k, v in os.environ.items() if k not in CONFIG_VARIABLES}
    environment.update(env)
    return subprocess.run(  # noqa: S603 - our own interpreter and arguments
        [sys.executable, *args],
        cwd=cwd,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.fixture
def bare_project(tmp_path):
    """A directory with only the settings module: no `.env`."""
    package = tmp_path / "lms_project"
    package.mkdir()
    (package / "__init__.py").touch()
    shutil.copy(BASE_DIR / "lms_project" / "settings.py", package / "settings.py")
    return tmp_path


def printed_settings(cwd, **env):
    result = run(["-c", PRINT_SETTINGS], cwd=cwd, **env)
    assert result.returncode == 0, result.stderr
    return result.stdout.split()


def test_deploy_check_reports_no_issues_in_production_settings():
    result = run(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        DEBUG="false",
        SECRET_KEY=PRODUCTION_KEY,
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_missing_secret_key_with_debug_off_is_refused():
    # Set in the environment, even empty, a variable wins over the .env file.
    result = run(["-c", "import lms_project.settings"], DEBUG="false", SECRET_KEY="")

    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "SECRET_KEY must be set" in result.stderr


def test_without_any_configuration_debug_is_off_and_a_secret_key_is_required(bare_project):
    result = run(["-c", "import lms_project.settings"], cwd=bare_project)

    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_defaults(bare_project):
    assert printed_settings(bare_project, SECRET_KEY=PRODUCTION_KEY) == [
        "False",  # DEBUG
        "True",  # SECURE_SSL_REDIRECT
        "100/minute",
        "30",
        "django.db.backends.sqlite3",
        "LocMemCache",
        "0",  # NUM_PROXIES
        "True",  # SESSION_COOKIE_SECURE
        "31536000",  # HSTS
    ]


def test_development_runs_without_a_secret_key(bare_project):
    values = printed_settings(bare_project, DEBUG="true")

    assert values[:2] == ["True", "False"]  # DEBUG on, no HTTPS redirect
    assert values[-2:] == ["False", "0"]  # plain-HTTP cookies, no HSTS


def test_dotenv_file_is_read(bare_project):
    (bare_project / ".env").write_text("DEBUG=true\nAPI_RATE_LIMIT=7/minute\n")

    values = printed_settings(bare_project)

    assert values[0] == "True" and values[2] == "7/minute"


def test_environment_wins_over_dotenv(bare_project):
    (bare_project / ".env").write_text("DEBUG=true\nAPI_RATE_LIMIT=7/minute\n")

    values = printed_settings(bare_project, API_RATE_LIMIT="9/minute")

    assert values[2] == "9/minute"


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"API_RATE_LIMIT": "5/second"}, "5/second"),
        ({"DATABASE_URL": "postgres://u:p@db:5432/lms"}, "django.db.backends.postgresql"),
        ({"REDIS_URL": "redis://cache:6379/0"}, "RedisCache"),
        ({"ATTEMPT_GRACE_SECONDS": "45"}, "45"),
        ({"NUM_PROXIES": "1"}, "1"),
    ],
)
def test_environment_variables_configure_it(bare_project, env, expected):
    assert expected in printed_settings(bare_project, SECRET_KEY=PRODUCTION_KEY, **env)


def test_ssl_redirect_can_be_turned_off_in_production(bare_project):
    values = printed_settings(bare_project, SECRET_KEY=PRODUCTION_KEY, SECURE_SSL_REDIRECT="false")

    assert values[:2] == ["False", "False"]


PRINT_HSTS = (
    "import lms_project.settings as s; "
    "print(s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SECURE_HSTS_PRELOAD, *s.SILENCED_SYSTEM_CHECKS)"
)


def hsts_settings(cwd, **env):
    result = run(["-c", PRINT_HSTS], cwd=cwd, **env)
    assert result.returncode == 0, result.stderr
    return result.stdout.split()


def test_hsts_subdomains_and_preload_are_off_by_default_with_their_warnings_silenced(
    bare_project,
):
    assert hsts_settings(bare_project, SECRET_KEY=PRODUCTION_KEY) == [
        "False",
        "False",
        "security.W005",
        "security.W021",
    ]


def test_hsts_subdomains_and_preload_are_opted_into_and_nothing_is_silenced(bare_project):
    values = hsts_settings(
        bare_project,
        SECRET_KEY=PRODUCTION_KEY,
        SECURE_HSTS_INCLUDE_SUBDOMAINS="true",
        SECURE_HSTS_PRELOAD="true",
    )

    assert values == ["True", "True"]


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"SECURE_HSTS_INCLUDE_SUBDOMAINS": "true"}, ["True", "False", "security.W021"]),
        ({"SECURE_HSTS_PRELOAD": "true"}, ["False", "True", "security.W005"]),
    ],
)
def test_only_the_warning_of_a_setting_left_off_is_silenced(bare_project, env, expected):
    assert hsts_settings(bare_project, SECRET_KEY=PRODUCTION_KEY, **env) == expected


def test_deploy_check_reports_no_issues_with_hsts_subdomains_and_preload_on():
    result = run(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        DEBUG="false",
        SECRET_KEY=PRODUCTION_KEY,
        SECURE_HSTS_INCLUDE_SUBDOMAINS="true",
        SECURE_HSTS_PRELOAD="true",
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
