"""The router every API app registers its viewsets on.

`ApiRouter` is DRF's `SimpleRouter` with the API's conventions: no trailing slash, and Django
`path()` routes, so that a viewset's `lookup_value_converter = "id"` (and a nested prefix such as
`assessments/<id:assessment_id>/questions`) use the `id` converter of `common.converters`: a
path whose id has other characters matches no route and gets the JSON 404.

A detail route's view is named "<Name> Detail" (DRF says "Instance"), the name the OPTIONS
answer has always carried.
"""

from rest_framework.routers import Route, SimpleRouter


class ApiRouter(SimpleRouter):
    routes = [
        route._replace(initkwargs={**route.initkwargs, "suffix": "Detail"})
        if isinstance(route, Route) and route.detail
        else route
        for route in SimpleRouter.routes
    ]

    def __init__(self) -> None:
        super().__init__(trailing_slash=False, use_regex_path=False)
