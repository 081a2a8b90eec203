"""Finds schema classes of the API that share a name: the OpenAPI document can only describe one of them.

django-ninja names each component of ``/api/openapi.json`` after its class and merges the components of
every operation into one map, so two classes called ``DocumentOut`` in two routers silently become one
component, and every operation using the other class is published with the wrong body. Class names must
therefore be unique across the whole API (``CaseDocumentOut`` beside the candidates' ``ProfileDocumentOut``).
"""

from __future__ import annotations

import enum
import typing
from collections import defaultdict
from collections.abc import Iterator
from typing import Any

from ninja import NinjaAPI
from pydantic import BaseModel

__all__ = ["schema_classes_sharing_a_name"]


def _operations(api: NinjaAPI) -> Iterator[Any]:
    for bound_router in api._get_bound_routers():
        for path_view in bound_router.path_operations.values():
            yield from path_view.operations


def _named_types(annotation: Any, seen: set[type]) -> Iterator[type]:
    """Every model and enum class reachable from ``annotation`` (through lists, unions, nested fields)."""
    if isinstance(annotation, type) and annotation in seen:
        return
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        seen.add(annotation)
        yield annotation
        for field in annotation.model_fields.values():
            yield from _named_types(field.annotation, seen)
        return
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        seen.add(annotation)
        yield annotation
        return
    for argument in typing.get_args(annotation):
        yield from _named_types(argument, seen)


def schema_classes_sharing_a_name(api: NinjaAPI) -> dict[str, list[str]]:
    """``{component name: [module.Class, ...]}`` for each name used by more than one class of ``api``.

    ninja's own wrapper models (a view's parameters, a status code's response) are not components;
    only the classes inside them are looked at.
    """
    seen: set[type] = set()
    classes: dict[str, set[str]] = defaultdict(set)
    for operation in _operations(api):
        wrappers = [*operation.models, *(m for m in operation.response_models.values() if isinstance(m, type))]
        for wrapper in wrappers:
            for field in wrapper.model_fields.values():
                for found in _named_types(field.annotation, seen):
                    classes[found.__name__].add(f"{found.__module__}.{found.__qualname__}")
    return {name: sorted(paths) for name, paths in sorted(classes.items()) if len(paths) > 1}
