"""The product's own settings, with two reference views added to its URLs: the bare view again,
and a one-query view, both through the product's full middleware."""

from lms_project.settings import *  # noqa: F403

ROOT_URLCONF = "bench.http.project_urls"
