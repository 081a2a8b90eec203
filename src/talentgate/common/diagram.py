"""Renders the domain model as a Mermaid entity diagram, straight from the installed Django models.

``docs/domain.md`` embeds the output; a test keeps the two in step, so the diagram
can never describe a model that no longer exists.
"""

from __future__ import annotations

from typing import Any

from django.apps import apps
from django.db import models

DOMAIN_APPS = (
    "accounts",
    "common",
    "reference",
    "candidates",
    "hosts",
    "programmes",
    "assessment",
    "matching",
    "notifications",
    "cases",
    "cooperation",
    "authority",
    "competitions",
    "privacy",
    "identity",
)


def _entity_name(model: type[models.Model]) -> str:
    return f"{model._meta.app_label}_{model.__name__}"


def _field_type(field: models.Field[Any, Any]) -> str:
    return field.get_internal_type().removesuffix("Field").lower() or "field"


def mermaid_diagram(app_labels: tuple[str, ...] = DOMAIN_APPS) -> str:
    """A ``erDiagram`` block: one entity per model (with its own columns), one line per relation."""
    lines = ["erDiagram"]
    relations: list[str] = []
    for label in app_labels:
        for model in sorted(apps.get_app_config(label).get_models(), key=lambda m: m.__name__):
            name = _entity_name(model)
            lines.append(f"    {name} {{")
            for field in model._meta.concrete_fields:
                if isinstance(field, models.ForeignKey | models.OneToOneField):
                    target = field.related_model
                    if isinstance(target, type) and target._meta.app_label in app_labels:
                        arrow = "||--o|" if isinstance(field, models.OneToOneField) else "}o--||"
                        relations.append(f"    {name} {arrow} {_entity_name(target)} : {field.name}")
                    lines.append(f"        fk {field.name}")
                    continue
                if isinstance(field, models.ManyToManyField):
                    continue
                lines.append(f"        {_field_type(field)} {field.name}")
            lines.append("    }")
    return "\n".join(lines + sorted(relations))


START, END = "<!-- diagram:start -->", "<!-- diagram:end -->"


def embed_in(markdown: str) -> str:
    """``markdown`` with the block between the diagram markers replaced by the current diagram."""
    head, rest = markdown.split(START, 1)
    _, tail = rest.split(END, 1)
    return f"{head}{START}\n```mermaid\n{mermaid_diagram()}\n```\n{END}{tail}"
