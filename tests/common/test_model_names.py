"""Model and field names given without a translation are listed for the catalogue and shown in the reader's language."""

from __future__ import annotations

from django.apps import apps
from django.contrib.admin.utils import label_for_field
from django.utils import translation
from django.utils.functional import Promise

from talentgate.common.model_names import DERIVED_NAMES, derived_names


def test_every_derived_name_is_listed_for_the_catalogue():
    missing = sorted(derived_names() - set(DERIVED_NAMES))
    assert missing == [], "add these to DERIVED_NAMES in common/model_names.py, then `make messages`"


def test_every_model_and_field_name_is_a_translation_after_start_up():
    untranslated = [
        f"{model._meta.label}.{field.name}"
        for model in apps.get_models()
        if model._meta.app_config.name.startswith("talentgate.")
        for field in model._meta.get_fields()
        if hasattr(field, "verbose_name") and not field.auto_created and not isinstance(field.verbose_name, Promise)
    ]
    assert untranslated == []


def test_a_derived_field_name_and_a_plural_follow_the_active_language():
    model = apps.get_model("cases", "Permit")
    with translation.override("en"):
        assert label_for_field("valid_until", model) == "valid until"
        assert str(model._meta.verbose_name_plural) == "permits"
    with translation.override("ru"):
        assert label_for_field("valid_until", model) == "действует до"
        assert str(model._meta.verbose_name_plural) == "разрешения"
        assert str(apps.get_app_config("hosts").verbose_name) == "Принимающие организации"
