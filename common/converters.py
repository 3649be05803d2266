"""URL converters. `<id:...>` matches what an object id can be (`crs_3fK9...`) and nothing
else, so a path carrying other characters (a NUL byte, say) is an unknown route, a 404, and never
reaches the database."""

from django.urls import register_converter


class ObjectIdConverter:
    regex = "[A-Za-z0-9_]{1,64}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value


def register() -> None:
    register_converter(ObjectIdConverter, "id")
