"""The profile wizard: its steps, forms built from the canonical model's fields, and the two-way
mapping between form field names (``education-2-institution``) and canonical paths
(``("education", 0, "institution")``).

The forms only collect text: every field is optional text to Django, and the whole merged
profile is checked by the canonical model through ``candidates.services.check_own_profile``.
So there is one copy of the rules, and an error whose path points into this step is shown
next to its field (via :class:`LocIndex`); any other error is listed at the top of the step.
"""

from __future__ import annotations

import re
import types
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import Enum
from functools import cache
from typing import Annotated, Any, Union, get_args, get_origin

import pycountry
from babel import Locale, UnknownLocaleError
from django import forms
from django.http import QueryDict
from django.utils.functional import Promise
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from pydantic import BaseModel

from talentgate import canonical
from talentgate.candidates.canonical_mapping import FAMILY_CAREER_SECTIONS
from talentgate.common.crypto import mask
from talentgate.common.errors import FieldError
from talentgate.portal.candidate import labels
from talentgate.portal.live import live_attrs

Loc = tuple[str | int, ...]

COUNTRY_FIELDS = frozenset({"country", "issuing_country", "residence_country"})
LIST_FIELDS = frozenset({"citizenships"})
MASKED_FIELDS = frozenset({("identity_documents", "number")})


@dataclass(frozen=True)
class ObjectPart:
    """One object of the profile edited as a single form (``identity``), or top-level fields (``key=None``)."""

    key: str | None
    model: type[BaseModel]
    fields: tuple[str, ...]
    prefix: str

    @property
    def section(self) -> str:
        return self.key or self.prefix


@dataclass(frozen=True)
class ListPart:
    """A list of the profile edited as rows; ``nested`` lists live inside each row (a family member's career)."""

    key: str
    model: type[BaseModel]
    fields: tuple[str, ...]
    nested: tuple[ListPart, ...] = ()

    @property
    def title(self) -> str | Promise:
        return labels.SECTION_TITLES.get(self.key, self.key)

    @property
    def add_label(self) -> str | Promise:
        return labels.ADD_LABELS.get(self.key, self.key)


@dataclass(frozen=True)
class Step:
    """One page of the wizard and the canonical keys it writes."""

    slug: str
    title: str | Promise
    intro: str | Promise
    objects: tuple[ObjectPart, ...] = ()
    lists: tuple[ListPart, ...] = ()

    @property
    def sections(self) -> list[str]:
        keys: list[str] = []
        for part in self.objects:
            keys.extend([part.key] if part.key else part.fields)
        keys.extend(part.key for part in self.lists)
        return keys


def _fields(model: type[BaseModel], exclude: frozenset[str] = frozenset()) -> tuple[str, ...]:
    return tuple(name for name in model.model_fields if name not in exclude)


EDUCATION = ListPart("education", canonical.Education, _fields(canonical.Education, frozenset({"verified"})))
WORK_HISTORY = ListPart("work_history", canonical.Employment, _fields(canonical.Employment))
LANGUAGE_TESTS = ListPart("language_tests", canonical.LanguageTestResult, _fields(canonical.LanguageTestResult))

STEPS: tuple[Step, ...] = (
    Step(
        "identity",
        _("Identity"),
        _("Who you are, as in your passport, and your identity documents."),
        objects=(ObjectPart("identity", canonical.Identity, _fields(canonical.Identity), "identity"),),
        lists=(ListPart("identity_documents", canonical.IdentityDocument, _fields(canonical.IdentityDocument)),),
    ),
    Step("education", _("Education"), _("Your degrees and other qualifications."), lists=(EDUCATION,)),
    Step("work-history", _("Work history"), _("Your jobs, the current one included."), lists=(WORK_HISTORY,)),
    Step(
        "skills",
        _("Skills"),
        _("What you can do, in your own words."),
        lists=(ListPart("skills", canonical.Skill, _fields(canonical.Skill)),),
    ),
    Step(
        "language-tests",
        _("Language tests"),
        _("Each test as taken, with the scores on its own scale."),
        lists=(LANGUAGE_TESTS,),
    ),
    Step(
        "publications",
        _("Publications and patents"),
        _("Your research output."),
        objects=(ObjectPart(None, canonical.CandidateProfile, ("h_index",), "profile"),),
        lists=(
            ListPart("publications", canonical.Publication, _fields(canonical.Publication)),
            ListPart("patents", canonical.Patent, _fields(canonical.Patent)),
        ),
    ),
    Step(
        "achievements",
        _("Achievements"),
        _("Prizes, medals and distinctions."),
        lists=(ListPart("achievements", canonical.Achievement, _fields(canonical.Achievement)),),
    ),
    Step(
        "family",
        _("Family members"),
        _("Who relocates with you. A spouse or partner may add their own education, tests and jobs."),
        lists=(
            ListPart(
                "family",
                canonical.FamilyMember,
                _fields(canonical.FamilyMember, frozenset(FAMILY_CAREER_SECTIONS)),
                nested=(EDUCATION, LANGUAGE_TESTS, WORK_HISTORY),
            ),
        ),
    ),
    Step(
        "salary-offers",
        _("Salary offers"),
        _("Salaries you have been offered, in their own currency."),
        lists=(ListPart("salary_offers", canonical.SalaryOffer, _fields(canonical.SalaryOffer)),),
    ),
)
STEP_BY_SLUG = {step.slug: step for step in STEPS}
# Which step edits each canonical key (to link errors found elsewhere to the page that fixes them).
STEP_FOR_SECTION = {section: step for step in STEPS for section in step.sections}


# ---------------------------------------------------------------------------- field kinds and widgets


def _unwrapped(annotation: Any) -> Any:
    """The type under ``X | None`` and ``Annotated[X, ...]`` (``Year | None`` -> ``int``)."""
    if get_origin(annotation) in (Union, types.UnionType):
        args = [arg for arg in get_args(annotation) if arg is not type(None)]
        if len(args) == 1:
            return _unwrapped(args[0])
    if get_origin(annotation) is Annotated:
        return _unwrapped(get_args(annotation)[0])
    return annotation


def field_kind(model: type[BaseModel], name: str) -> str:
    """How a field is entered: ``bool``, ``list``, ``date``, ``number``, ``choice`` or ``text``."""
    annotation = _unwrapped(model.model_fields[name].annotation)
    if annotation is bool:
        return "bool"
    if name in LIST_FIELDS or get_origin(annotation) is list:
        return "list"
    if annotation is date:
        return "date"
    if (model is canonical.Education and name == "level") or name in COUNTRY_FIELDS:
        return "choice"
    if name in ("language", "currency"):
        return "choice"
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        return "choice"
    if annotation in (int, float, Decimal):
        return "number"
    return "text"


@cache
def _locale(language: str) -> Locale:
    try:
        return Locale.parse(language.replace("-", "_"))
    except (ValueError, UnknownLocaleError):
        return Locale.parse("en")


@cache
def _country_choices(language: str) -> tuple[tuple[str, str], ...]:
    names = _locale(language).territories
    rows = [(c.alpha_2, str(names.get(c.alpha_2, c.name))) for c in pycountry.countries]
    return tuple(sorted(rows, key=lambda row: row[1]))


@cache
def country_names(language: str) -> dict[str, str]:
    """Country names by ISO 3166-1 alpha-2 code in ``language`` (CLDR, via babel)."""
    return dict(_country_choices(language))


@cache
def _language_choices(language: str) -> tuple[tuple[str, str], ...]:
    names = _locale(language).languages
    rows = [
        (lang.alpha_2, str(names.get(lang.alpha_2, lang.name)))
        for lang in pycountry.languages
        if hasattr(lang, "alpha_2")
    ]
    return tuple(sorted(rows, key=lambda row: row[1].lower()))


@cache
def _currency_choices(language: str) -> tuple[tuple[str, str], ...]:
    names = _locale(language).currencies
    rows = [(c.alpha_3, f"{c.alpha_3}: {names.get(c.alpha_3, c.name)}") for c in pycountry.currencies]
    return tuple(sorted(rows))


def choices_for(model: type[BaseModel], name: str) -> list[tuple[str, Any]]:
    """The options of a choice field, an empty "not given" option first (nothing is chosen for the person)."""
    language = get_language() or "en"
    blank: list[tuple[str, Any]] = [("", "—")]
    if model is canonical.Education and name == "level":
        return blank + [(str(level), label) for level, label in labels.ISCED_LEVEL_LABELS.items()]
    if name in COUNTRY_FIELDS:
        return blank + list(_country_choices(language))
    if name == "language":
        return blank + list(_language_choices(language))
    if name == "currency":
        return blank + list(_currency_choices(language))
    enum = _unwrapped(model.model_fields[name].annotation)
    if enum is canonical.LanguageTest:
        return blank + [(test.value, canonical.TEST_SPECS[test].name) for test in canonical.LanguageTest]
    return blank + [(member.value, labels.enum_label(member)) for member in enum]


def _form_field(model: type[BaseModel], section: str, name: str) -> forms.Field:
    kind = field_kind(model, name)
    options: dict[str, Any] = {
        "required": False,
        "label": labels.field_label(section, name),
        "help_text": labels.HELP_TEXTS.get((section, name), ""),
    }
    if kind == "bool":
        return forms.BooleanField(**options)
    if kind == "choice":
        return forms.CharField(widget=forms.Select(choices=choices_for(model, name)), **options)
    if kind == "date":
        return forms.CharField(widget=forms.DateInput(attrs={"type": "date"}), **options)
    if kind == "number":
        return forms.CharField(widget=forms.NumberInput(attrs={"step": "any"}), **options)
    return forms.CharField(**options)


def form_for(
    model: type[BaseModel],
    section: str,
    names: tuple[str, ...],
    *,
    prefix: str,
    data: QueryDict | None,
    initial: dict[str, Any] | None,
    validate_url: str,
) -> forms.Form:
    """A form for ``names`` of ``model`` (only text to Django), each input validated live with htmx."""
    form_class = type("WizardForm", (forms.Form,), {name: _form_field(model, section, name) for name in names})
    form: forms.Form = form_class(data=data, initial=initial, prefix=prefix)
    for bound_field in form:
        bound_field.field.widget.attrs.update(live_attrs(validate_url, "closest .field"))
    if data is not None:
        form.is_valid()  # prepares the error lists; every field is optional text, so nothing is refused here
    return form


def initial_values(
    section: str, model: type[BaseModel], names: tuple[str, ...], item: dict[str, Any]
) -> dict[str, Any]:
    """Form initial values from a canonical (JSON-mode) item: lists joined, numbers masked where sensitive."""
    values: dict[str, Any] = {}
    for name in names:
        value = item.get(name)
        if value is None:
            continue
        if (section, name) in MASKED_FIELDS:
            value = mask(str(value))
        elif field_kind(model, name) == "list":
            value = ", ".join(str(v) for v in value)
        values[name] = value
    return values


# ---------------------------------------------------------------------------- form data -> canonical data


@dataclass
class LocIndex:
    """Where each canonical path of a parsed step is on the page: fields, rows and lists."""

    fields: dict[Loc, str] = field(default_factory=dict)
    rows: dict[Loc, str] = field(default_factory=dict)
    parts: dict[Loc, str] = field(default_factory=dict)

    def merge(self, other: LocIndex) -> None:
        self.fields.update(other.fields)
        self.rows.update(other.rows)
        self.parts.update(other.parts)

    def place(self, loc: Loc) -> tuple[str, str]:
        """``("field", html name)``, ``("row", row prefix)``, ``("part", list prefix)`` or ``("step", "")``."""
        for length in range(len(loc), 0, -1):
            head = loc[:length]
            if head in self.fields:
                return "field", self.fields[head]
            if head in self.rows:
                return "row", self.rows[head]
            if head in self.parts:
                return "part", self.parts[head]
        return "step", ""


def _values(post: QueryDict, model: type[BaseModel], names: tuple[str, ...], prefix: str) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for name in names:
        key = f"{prefix}-{name}"
        kind = field_kind(model, name)
        if kind == "bool":
            values[name] = key in post
        elif kind == "list":
            items = [item for item in re.split(r"[,;\s]+", post.get(key, "")) if item]
            if items:
                values[name] = items
        else:
            raw = post.get(key, "").strip()
            if raw:
                values[name] = raw
    return values


def _is_blank(values: dict[str, Any], model: type[BaseModel]) -> bool:
    return all(field_kind(model, name) == "bool" for name in values)


def row_numbers(post: QueryDict, prefix: str) -> list[int]:
    """The row numbers a list's inputs use in ``post`` (``education-3-institution`` -> 3), sorted."""
    pattern = re.compile(rf"^{re.escape(prefix)}-(\d+)-")
    return sorted({int(match.group(1)) for key in post for match in [pattern.match(key)] if match})


def parse_list(post: QueryDict, part: ListPart, prefix: str, loc: Loc, index: LocIndex) -> list[dict[str, Any]]:
    """The canonical items of one list; blank and removed rows are left out (and indexed nowhere)."""
    index.parts[(*loc, part.key)] = prefix
    items: list[dict[str, Any]] = []
    for number in row_numbers(post, prefix):
        row_prefix = f"{prefix}-{number}"
        if f"{row_prefix}-DELETE" in post:
            continue
        item_loc: Loc = (*loc, part.key, len(items))
        row_index = LocIndex()
        values = _values(post, part.model, part.fields, row_prefix)
        nested = {
            inner.key: parse_list(post, inner, f"{row_prefix}-{inner.key}", item_loc, row_index)
            for inner in part.nested
        }
        if _is_blank(values, part.model) and not any(nested.values()):
            continue
        row_index.rows[item_loc] = row_prefix
        row_index.fields.update({(*item_loc, name): f"{row_prefix}-{name}" for name in part.fields})
        index.merge(row_index)
        items.append({**values, **nested})
    return items


def parse_step(step: Step, post: QueryDict) -> tuple[dict[str, Any], LocIndex]:
    """The canonical data a step's form holds (keys: ``step.sections``) and where each path is on the page."""
    index = LocIndex()
    data: dict[str, Any] = {}
    for part in step.objects:
        values = _values(post, part.model, part.fields, part.prefix)
        if part.key is not None:
            data[part.key] = values
            index.rows[(part.key,)] = part.prefix
            index.fields.update({(part.key, name): f"{part.prefix}-{name}" for name in part.fields})
        else:
            for name in part.fields:
                # A top-level value left empty is cleared, not kept as stored.
                data[name] = values.get(name)
                index.fields[(name,)] = f"{part.prefix}-{name}"
    for listed in step.lists:
        data[listed.key] = parse_list(post, listed, listed.key, (), index)
    return data, index


# ---------------------------------------------------------------------------- errors


def parse_path(path: str) -> Loc:
    """``"family[0].education[1].institution"`` -> ``("family", 0, "education", 1, "institution")``."""
    loc: list[str | int] = []
    for name, number in re.findall(r"([^.\[\]]+)|\[(\d+)\]", path):
        loc.append(int(number) if number else name)
    return tuple(loc)


# Generic pydantic rules reworded for people (and translated); every other message is the canonical one.
_GENERIC_MESSAGES: dict[str, str | Promise] = {
    "missing": _("Fill in this field."),
    "date_from_datetime_parsing": _("Enter a date."),
    "date_parsing": _("Enter a date."),
    "int_parsing": _("Enter a whole number."),
    "int_from_float": _("Enter a whole number."),
    "float_parsing": _("Enter a number."),
    "decimal_parsing": _("Enter a number."),
    "enum": _("Choose one of the options."),
}


def message_for(error: FieldError) -> str:
    """The sentence shown for one error: a reworded generic rule, or the canonical message as a sentence."""
    generic = _GENERIC_MESSAGES.get(error.rule)
    if generic is not None:
        return str(generic)
    text = error.message.strip()
    text = text[:1].upper() + text[1:]
    return text if text.endswith((".", "!", "?")) else f"{text}."


def describe_loc(loc: Loc) -> str:
    """A person's name for a canonical path: "Education, entry 2, Graduation year"."""
    words: list[str] = []
    section = ""
    for part in loc:
        if isinstance(part, int):
            words.append(str(_("entry %(number)d")) % {"number": part + 1})
        else:
            title = labels.SECTION_TITLES.get(part) if not section or part in FAMILY_CAREER_SECTIONS else None
            words.append(str(title or labels.field_label(section, part)))
            section = part if title else section
    return ", ".join(words)
