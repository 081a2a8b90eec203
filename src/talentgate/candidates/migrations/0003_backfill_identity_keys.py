"""Backfill the derived identity columns of existing rows: the blind index of every identity document number
(with this installation's BLIND_INDEX_KEY) and every profile's name search key. Run again after changing
BLIND_INDEX_KEY (``talentgate manage migrate candidates 0002 && talentgate manage migrate``)."""

from __future__ import annotations

from django.conf import settings
from django.db import migrations

from talentgate.engines.identity import blind_index, name_search_key

BATCH = 5000
KEY_MAX = 1000
NAME_FIELDS = ("given_names_latin", "family_name_latin", "given_names_native", "family_name_native")


def _batches(queryset, fields):
    """Rows of ``queryset`` as value tuples (pk first), a batch at a time by primary key: no cursor stays open
    across the updates, and the encrypted fields come back decrypted through their model field."""
    last_pk = 0
    while True:
        rows = list(queryset.filter(pk__gt=last_pk).order_by("pk").values_list("pk", *fields)[:BATCH])
        if not rows:
            return
        yield rows
        last_pk = rows[-1][0]


def _write(schema_editor, model, column, values_by_pk):
    """One parameterised UPDATE per row sent with executemany: psycopg pipelines them, SQLite runs them in a
    loop in C. bulk_update's CASE expression made PostgreSQL compare every row against every branch, which
    took over 25 minutes on 475,000 profiles."""
    quote = schema_editor.connection.ops.quote_name
    table, key = quote(model._meta.db_table), quote(model._meta.pk.column)
    # Identifiers from the model's own metadata, quoted; every value is a parameter.
    sql = f"UPDATE {table} SET {quote(column)} = %s WHERE {key} = %s"  # nosec B608
    with schema_editor.connection.cursor() as cursor:
        cursor.executemany(sql, [(value, pk) for pk, value in values_by_pk])


def _name_key(names):
    key = name_search_key(names)
    # The column holds 1000 characters: a longer key keeps its first whole words.
    return key if len(key) <= KEY_MAX else key[: key.rindex(" ", 0, KEY_MAX) + 1]


def backfill(apps, schema_editor):
    Profile = apps.get_model("candidates", "Profile")
    IdentityDocument = apps.get_model("candidates", "IdentityDocument")
    alias = schema_editor.connection.alias
    for rows in _batches(Profile.objects.using(alias), NAME_FIELDS):
        _write(schema_editor, Profile, "name_search_key", [(pk, _name_key(names)) for pk, *names in rows])
    for rows in _batches(IdentityDocument.objects.using(alias), ("number", "issuing_country")):
        keys = [(pk, blind_index(number or "", country or "", settings.BLIND_INDEX_KEY)) for pk, number, country in rows]
        _write(schema_editor, IdentityDocument, "number_blind_index", keys)


def clear(apps, schema_editor):
    alias = schema_editor.connection.alias
    apps.get_model("candidates", "Profile").objects.using(alias).update(name_search_key="")
    apps.get_model("candidates", "IdentityDocument").objects.using(alias).update(number_blind_index="")


class Migration(migrations.Migration):
    dependencies = [("candidates", "0002_identity_keys_and_merge")]

    operations = [migrations.RunPython(backfill, clear, elidable=False)]
