"""Names for people of the codes the canonical profile stores: enum values, consent purposes and countries.

Pages show a canonical value (``"police_clearance"``, ``"authority_handoff"``, ``"NG"``) in the
visitor's language: enum values by the translated labels of ``portal.candidate.labels``, consent
purposes by their short names, countries by CLDR's names (babel) for the active
language; in English a country keeps the name of our reference table when the page passes it.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from babel.numbers import format_currency
from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.text import capfirst
from django.utils.translation import get_language, pgettext_lazy

from talentgate import canonical
from talentgate.canonical import ConsentPurpose
from talentgate.engines.taxonomy.synonyms import load_synonyms
from talentgate.portal.candidate import labels, wizard
from talentgate.reference.regions import region_name as _region_name

register = template.Library()


@register.filter
def enum_label(value: Any, enum_name: str) -> str:
    """``{{ document.kind|enum_label:"DocumentKind" }}``: the translated label of a canonical enum value."""
    if value in (None, ""):
        return ""
    enum = getattr(canonical, enum_name)
    try:
        member = enum(value)
    except ValueError:
        return str(value)
    label = labels.ENUM_LABELS.get(member)
    return str(label) if label is not None else str(value).replace("_", " ")


#: Consent purposes as short names (context "consent purpose"); English is the code with spaces.
PURPOSE_NAMES = {
    ConsentPurpose.MATCHED_HOSTS.value: pgettext_lazy("consent purpose", "matched hosts"),
    ConsentPurpose.AUTHORITY_HANDOFF.value: pgettext_lazy("consent purpose", "authority handoff"),
    ConsentPurpose.ANONYMISED_ANALYTICS.value: pgettext_lazy("consent purpose", "anonymised analytics"),
}


@register.filter
def consent_purpose(purpose: Any) -> str:
    """``{{ consent.purpose|consent_purpose }}``: the purpose's short name in the active language."""
    name = PURPOSE_NAMES.get(str(purpose))
    return str(name) if name is not None else str(purpose).replace("_", " ")


@register.filter
def country_name(code: Any, english_name: str = "") -> str:
    """``{{ code|country_name:reference_name }}``: the country's name in the active language.

    English pages keep ``english_name`` (our reference table's name) when it is given.
    """
    if not code:
        return ""
    language = get_language() or "en"
    if english_name and language.split("-")[0] == "en":
        return english_name
    return wizard.country_names(language).get(str(code).upper(), english_name or str(code))


@register.filter
def local_name(obj: Any) -> str:
    """``{{ programme|local_name }}``: ``name_ru`` on a Russian page when it is filled in, else ``name_en``."""
    if obj is None:
        return ""
    language = (get_language() or "en").split("-")[0]
    localised = getattr(obj, f"name_{language}", "") if language != "en" else ""
    return str(localised or obj.name_en)


@register.filter
def region_name(english_name: Any) -> str:
    """``{{ country.sub_region|region_name }}``: a UN M49 region, stored by its English name, in the active language."""
    if not english_name:
        return ""
    return _region_name(str(english_name), get_language() or "en")


#: Why two profiles may be one person (the identity engine's reason codes), as people read them.
DUPLICATE_REASONS = {
    "same_identity_document": pgettext_lazy("duplicate reason", "the same identity document"),
    "same_birth_date_and_name": pgettext_lazy("duplicate reason", "the same date of birth and a similar name"),
    "same_email_local_part_and_name": pgettext_lazy(
        "duplicate reason", "the same e-mail name before the @ and a similar name"
    ),
}


@register.filter
def duplicate_reason(code: Any) -> str:
    """``{{ reason|duplicate_reason }}``: a suspected duplicate's reason code in the active language."""
    name = DUPLICATE_REASONS.get(str(code))
    return str(name) if name is not None else str(code).replace("_", " ")


@register.filter
def money(amount: Any, currency: Any) -> str:
    """``{{ offer.salary_amount|money:offer.salary_currency_id }}``: an amount in the active language's
    number and currency format (babel/CLDR: ``€85,000.00`` in English, ``85 000,00 €`` in Russian)."""
    if amount in (None, ""):
        return ""
    if not currency:
        return str(amount)
    language = (get_language() or "en").replace("-", "_")
    try:
        return format_currency(amount, str(currency), locale=language)
    except (ValueError, TypeError):
        return f"{amount} {currency}"


@cache
def _curated_russian() -> dict[str, str]:
    """English term (lower case) -> the curated Russian term of the same concept (synonyms.yaml)."""
    found: dict[str, str] = {}
    for entry in load_synonyms():
        if entry.ru:
            for term in (*entry.en, *([entry.label.casefold()] if entry.label else [])):
                found.setdefault(term.casefold(), entry.ru[0])
    return found


@register.simple_tag
def concept_label(label: Any, isco08_code: Any = "") -> SafeString:
    """``{% concept_label o.label o.isco08_code %}``: an occupation or skill as the reader can read it.

    ESCO has no Russian labels. A Russian page shows the curated Russian term when the label is one of
    our synonym list's English terms; otherwise the ESCO label in English, marked ``lang="en"`` (screen
    readers switch voice), with its ISCO-08 group code where known. English pages show the label.
    """
    text = str(label or "")
    code = str(isco08_code or "")
    russian = _curated_russian().get(text.casefold()) if (get_language() or "en").startswith("ru") else None
    if russian:
        shown = format_html("{}", capfirst(russian))
    elif (get_language() or "en").startswith("ru"):
        shown = format_html('<span lang="en">{}</span>', text)
    else:
        shown = format_html("{}", text)
    if code:
        return format_html('{} <span class="muted">ISCO-08 {}</span>', shown, code)
    return shown
