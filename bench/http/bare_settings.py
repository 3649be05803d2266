"""The baseline the HTTP benchmark measures against: Django answering a `JsonResponse` with no
middleware, no apps and no database, served by gunicorn exactly like the product. What the
product does on top of this is what the benchmark's ratios show."""

SECRET_KEY = "bench-baseline-" + "x" * 50
DEBUG = False
ALLOWED_HOSTS = ["127.0.0.1"]
ROOT_URLCONF = "bench.http.bare_urls"
INSTALLED_APPS: list[str] = []
MIDDLEWARE: list[str] = []
DATABASES: dict[str, dict[str, str]] = {}
USE_TZ = True
