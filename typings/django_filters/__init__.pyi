# Type stubs for the part of django-filter this project uses (the package ships none).
from collections.abc import Mapping
from typing import Any, ClassVar

from django.db.models import Model, QuerySet
from django.forms import Field
from django.http import QueryDict
from django.utils.datastructures import MultiValueDict

class Filter:
    field_name: str | None
    lookup_expr: str
    label: str | None
    extra: dict[str, Any]
    def __init__(
        self,
        field_name: str | None = ...,
        lookup_expr: str | None = ...,
        *,
        label: str | None = ...,
        method: Any = ...,
        distinct: bool = ...,
        exclude: bool = ...,
        **kwargs: Any,
    ) -> None: ...
    @property
    def field(self) -> Field: ...

class CharFilter(Filter): ...
class ChoiceFilter(Filter): ...

class FilterSet:
    base_filters: ClassVar[dict[str, Filter]]
    filters: dict[str, Filter]
    data: QueryDict | Mapping[str, Any]
    def __init__(
        self,
        data: QueryDict | MultiValueDict[str, Any] | Mapping[str, Any] | None = ...,
        queryset: QuerySet[Any] | None = ...,
        *,
        request: Any = ...,
        prefix: str | None = ...,
    ) -> None: ...
    def is_valid(self) -> bool: ...
    @property
    def errors(self) -> dict[str, list[str]]: ...
    @property
    def qs(self) -> QuerySet[Any]: ...
    class Meta:
        model: type[Model]
        fields: Any
