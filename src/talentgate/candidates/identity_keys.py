"""The derived identity columns of candidate rows: the blind index of a document number and a profile's
name search key, computed by the framework-free ``engines.identity`` with this installation's key.

Every write path stores them: ``save()`` of the models (admin, scripts), and the bulk paths (profile
import, the demo loader) through ``canonical_mapping``. Lookups on a number go through
:func:`profiles_with_document`; the encrypted number itself is never filtered on.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.conf import settings

from talentgate.engines.identity import blind_index, name_search_key

#: The profile columns the search key is made of.
NAME_FIELDS = ("given_names_latin", "family_name_latin", "given_names_native", "family_name_native")


def document_blind_index(number: str, issuing_country: str) -> str:
    """The blind index of one identity document number with ``settings.BLIND_INDEX_KEY``."""
    return blind_index(number or "", issuing_country or "", settings.BLIND_INDEX_KEY)


#: The column's length (``Profile.name_search_key``); a longer key keeps its first whole words.
SEARCH_KEY_MAX_LENGTH = 1000


def profile_search_key(values: Any) -> str:
    """The name search key of a profile row or a mapping of its columns (``NAME_FIELDS``), at most
    :data:`SEARCH_KEY_MAX_LENGTH` characters (four long names in a syllabic script can fold longer)."""
    if isinstance(values, dict):
        key = name_search_key(str(values.get(name) or "") for name in NAME_FIELDS)
    else:
        key = name_search_key(str(getattr(values, name) or "") for name in NAME_FIELDS)
    if len(key) <= SEARCH_KEY_MAX_LENGTH:
        return key
    return key[: key.rindex(" ", 0, SEARCH_KEY_MAX_LENGTH) + 1]


def with_derived_update_fields(update_fields: Iterable[str] | None, sources: Iterable[str], derived: str) -> Any:
    """``update_fields`` for a ``save()`` that recomputed ``derived``: add it when one of its ``sources`` is written."""
    if update_fields is None:
        return None
    names = set(update_fields)
    if names & set(sources):
        names.add(derived)
    return names


def document_indexes_for_number(number: str, issuing_country: str | None = None) -> list[str]:
    """The blind indexes a typed number can have: for one issuing country, or for every country on file
    (the index includes the country, and the number alone must find the document)."""
    from talentgate.candidates.models import IdentityDocument

    if issuing_country:
        countries = [issuing_country.strip().upper()]
    else:
        countries = list(IdentityDocument.objects.order_by().values_list("issuing_country", flat=True).distinct())
    return [index for index in (document_blind_index(number, c) for c in countries) if index]


def name_search_filter(query: str, field: str = "name_search_key") -> Any:
    """A ``Q`` matching rows whose search key (``field``, a path such as ``profile__name_search_key``) has a word
    starting with each word of ``query`` folded across scripts; ``None`` when the query has no letters or digits."""
    from django.db.models import Q

    from talentgate.engines.identity import search_terms

    terms = search_terms(query)
    if not terms:
        return None
    condition = Q()
    for term in terms:
        condition &= Q(**{f"{field}__contains": f" {term}"})
    return condition


def rebuild_identity_keys(batch_size: int = 2000) -> tuple[int, int]:
    """Recompute every profile's name search key and every document's blind index (after ``BLIND_INDEX_KEY``
    changed, or the folding rules did); returns (profiles, documents) rewritten. Batched, one transaction per
    batch, so it can be interrupted and run again."""
    from django.db import transaction

    from talentgate.candidates.models import IdentityDocument, Profile

    profiles = documents = 0
    last = 0
    while True:
        with transaction.atomic():
            rows = list(Profile.objects.filter(pk__gt=last).order_by("pk").only("pk", *NAME_FIELDS)[:batch_size])
            if not rows:
                break
            for row in rows:
                row.name_search_key = profile_search_key(row)
            Profile.objects.bulk_update(rows, ["name_search_key"])
        profiles += len(rows)
        last = rows[-1].pk
    last = 0
    while True:
        with transaction.atomic():
            docs = list(
                IdentityDocument.objects.filter(pk__gt=last)
                .order_by("pk")
                .only("pk", "number", "issuing_country")[:batch_size]
            )
            if not docs:
                break
            for doc in docs:
                doc.number_blind_index = document_blind_index(doc.number, doc.issuing_country)
            IdentityDocument.objects.bulk_update(docs, ["number_blind_index"])
        documents += len(docs)
        last = docs[-1].pk
    return profiles, documents
