"""Backfill the derived identity columns of existing rows: the blind index of every identity document number
(with this installation's BLIND_INDEX_KEY) and every profile's name search key. Run again after changing
BLIND_INDEX_KEY (``talentgate manage migrate candidates 0002 && talentgate manage migrate``)."""

from __future__ import annotations

from django.conf import settings
from django.db import migrations

from talentgate.engines.identity import blind_index, name_search_key

BATCH = 2000
KEY_MAX = 1000
NAME_FIELDS = ("given_names_latin", "family_name_latin", "given_names_native", "family_name_native")


def backfill(apps, schema_editor):
    Profile = apps.get_model("candidates", "Profile")
    IdentityDocument = apps.get_model("candidates", "IdentityDocument")
    alias = schema_editor.connection.alias
    profiles = Profile.objects.using(alias).only("pk", *NAME_FIELDS).order_by("pk")
    batch = []
    for profile in profiles.iterator(chunk_size=BATCH):
        key = name_search_key(getattr(profile, name) for name in NAME_FIELDS)
        # The column holds 1000 characters: a longer key keeps its first whole words.
        profile.name_search_key = key if len(key) <= KEY_MAX else key[: key.rindex(" ", 0, KEY_MAX) + 1]
        batch.append(profile)
        if len(batch) >= BATCH:
            Profile.objects.using(alias).bulk_update(batch, ["name_search_key"])
            batch = []
    Profile.objects.using(alias).bulk_update(batch, ["name_search_key"])
    documents = IdentityDocument.objects.using(alias).only("pk", "number", "issuing_country").order_by("pk")
    batch = []
    for document in documents.iterator(chunk_size=BATCH):
        document.number_blind_index = blind_index(
            document.number or "", document.issuing_country or "", settings.BLIND_INDEX_KEY
        )
        batch.append(document)
        if len(batch) >= BATCH:
            IdentityDocument.objects.using(alias).bulk_update(batch, ["number_blind_index"])
            batch = []
    IdentityDocument.objects.using(alias).bulk_update(batch, ["number_blind_index"])


def clear(apps, schema_editor):
    alias = schema_editor.connection.alias
    apps.get_model("candidates", "Profile").objects.using(alias).update(name_search_key="")
    apps.get_model("candidates", "IdentityDocument").objects.using(alias).update(number_blind_index="")


class Migration(migrations.Migration):
    dependencies = [("candidates", "0002_identity_keys_and_merge")]

    operations = [migrations.RunPython(backfill, clear, elidable=False)]
