"""Derived inputs of any shipped policy from canonical profiles, and where in a profile each input comes from.

:func:`talentgate.engines.rules.derive.derive_inputs` derives the CRS-style columns; this module
adds the inputs of the other shipped policies (``programme-merit``, ``japan-hsp``,
``germany-opportunity-card``) and one rule for facts a profile cannot show:

* an input is derived from the profile where a documented conversion exists (below);
* where the derivation finds nothing (``None``), an extension field of the profile with the
  input's own name supplies it (``extensions.livelihood_secured: true``), checked against the
  input's declared type;
* otherwise the policy's default applies, or the input is *missing* (an explained result).

Documented choices (policy decisions, not law):

* **work**: years are completed full-time-equivalent years (:func:`derive.work_years`);
  ``experience_years_last_5`` / ``_7`` look back 5 / 7 years; ``professional_experience_years``
  counts the whole career; ``priority_experience_years`` counts jobs in a priority sector;
* **CEFR** of a language: the best valid result on or before the date: certificate levels
  (Goethe, telc, ÖSD, DELF/DALF, TORFL, self-assessed) as certified; IELTS by the overall band
  (or the mean of the four bands rounded as IELTS rounds) through the IELTS partners' alignment;
  TOEFL iBT bands from 2026-01-21; other tests are not aligned here (code 0);
* **degrees**: the highest completed (graduated) qualification by ISCED 2011 level; a master's
  whose title names an MBA or MOT is a business professional degree (``japan-hsp``);
* **priority profession** (``programme-merit``): the most recent job is *priority* when its sector
  is a priority sector (or under one) or its ISCO-08 unit group is on the sought-after list;
  *related* when an earlier job was in a priority sector or the most recent job shares an ISCO-08
  minor group (first three digits) with a listed occupation; else *not listed*. The lists are
  programme configuration (:class:`DerivationContext`);
* **salary** (``japan-hsp``): the most recent salary offer, per year (a month x 12, an hour
  x 2,080), in JPY; an offer in another currency is converted through the shipped dated
  exchange-rate table (:mod:`~talentgate.engines.rules.fx`) at the rate of the assessment year,
  or the latest earlier year, and the pool's ``notes`` name the table and year used. A currency
  without a rate makes the input missing (a ``problems`` entry names currency and year), unless
  ``extensions.annual_salary_jpy`` gives it; a rate is never guessed.

>>> import datetime as dt
>>> from talentgate.canonical import CandidateProfile
>>> from talentgate.canonical.examples import example_profile
>>> from talentgate.engines.rules.registry import get_policy
>>> merit = get_policy("programme-merit", version="2026-01-01")
>>> pool = derive_for_policy(merit, [CandidateProfile.model_validate(example_profile(1))], dt.date(2026, 3, 1))
>>> int(pool.columns.values["highest_isced_level"][0]), pool.problems
(6, [])
>>> source_of("clb_first_official_reading"), source_of("livelihood_secured")
('language_tests', 'extensions.livelihood_secured')
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from talentgate.engines.rules.derive import cefr_code, cefr_from_scores, completed_years, derive_inputs, work_years
from talentgate.engines.rules.fx import Conversion, MissingRate, load_fx_table
from talentgate.engines.rules.schema import Policy
from talentgate.engines.rules.vectorized import Columns

__all__ = [
    "DEFAULT_CONTEXT",
    "DerivationContext",
    "DerivedPool",
    "derive_for_policy",
    "missing_paths",
    "source_of",
]

#: The inputs ``derive.derive_inputs`` computes (the CRS family) and the profile section each reads.
_CRS_SOURCES: dict[str, str] = {
    "age_years": "identity.date_of_birth",
    "education_level": "education",
    "spouse_education_level": "family",
    "has_accompanying_spouse": "family",
    "canadian_work_years": "work_history",
    "foreign_work_years": "work_history",
    "spouse_canadian_work_years": "family",
    "has_provincial_nomination": "extensions.provincial_nomination",
    "has_sibling_in_canada": "extensions.sibling_in_canada",
    "has_certificate_of_qualification": "extensions.certificate_of_qualification",
    "canadian_education": "extensions.canadian_education",
    **{
        f"{prefix}{ability}": "family" if prefix == "spouse_clb_" else "language_tests"
        for prefix in ("clb_first_official_", "clb_second_official_", "clb_english_", "nclc_french_", "spouse_clb_")
        for ability in ("reading", "writing", "listening", "speaking")
    },
}

_CERTIFICATE_TESTS = frozenset({"goethe", "telc", "osd", "delf_dalf", "torfl", "cefr_self"})
_TOEFL_BAND_SCALE_FROM = dt.date(2026, 1, 21)
_BUSINESS_DEGREE = re.compile(r"\b(MBA|MOT)\b")
_HOURS_PER_YEAR = 2080  # 40 hours x 52 weeks


@dataclass(frozen=True)
class DerivationContext:
    """Programme configuration the derivations read (never part of a profile).

    ``priority_sectors`` are sector codes: a job's ``sector`` equal to one or under it
    (``space`` covers ``space.launch``) is in a priority sector. ``priority_isco`` are ISCO-08
    unit groups on the sought-after list. ``working_languages`` are the languages whose best
    CEFR level is the working language (``programme-merit``).
    """

    priority_sectors: tuple[str, ...] = ()
    priority_isco: frozenset[str] = frozenset()
    working_languages: tuple[str, ...] = ("en", "ru")

    def in_priority_sector(self, sector: str) -> bool:
        return any(sector == code or sector.startswith(code + ".") for code in self.priority_sectors)


#: The demo programme's configuration: its priority sectors are the space industry's.
DEFAULT_CONTEXT = DerivationContext(priority_sectors=("space",))


@dataclass
class DerivedPool:
    """Columns ready for :func:`~talentgate.engines.rules.vectorized.evaluate_columns`, and the extension
    values refused on the way (``(row, path, message)``; such an input counts as missing)."""

    columns: Columns
    problems: list[tuple[int, str, str]] = field(default_factory=list)
    #: ``(row, input, sentence)`` for derivations worth telling, e.g. the exchange-rate table and year used.
    notes: list[tuple[int, str, str]] = field(default_factory=list)

    def notes_for(self, row: int) -> list[str]:
        """The notes of one row, in derivation order (for a whole pool, :meth:`notes_by_row` is linear)."""
        return [text for i, _, text in self.notes if i == row]

    def notes_by_row(self) -> dict[int, list[str]]:
        """Every row's notes in derivation order; rows without notes are absent."""
        by_row: dict[int, list[str]] = {}
        for i, _, text in self.notes:
            by_row.setdefault(i, []).append(text)
        return by_row


# --- helpers over one profile ------------------------------------------------------------------


def _code(value: Any) -> str:
    return str(getattr(value, "value", value))


def _completed(profile: Any) -> list[Any]:
    return [e for e in profile.education if e.graduation_year is not None]


def _highest(profile: Any) -> Any | None:
    done = _completed(profile)
    return max(done, key=lambda e: (e.level, e.graduation_year)) if done else None


def _ielts_overall(test: Any) -> float | None:
    if test.overall is not None:
        return float(test.overall)
    bands = [test.listening, test.reading, test.writing, test.speaking]
    if any(b is None for b in bands):
        return None
    # IELTS rounds the mean to the nearest half band, a quarter rounding up.
    return math.floor(sum(bands) / 4 * 2 + 0.5) / 2


def _cefr_of_test(test: Any) -> int:
    code = _code(test.test)
    if code in _CERTIFICATE_TESTS:
        return cefr_code(test.level) if test.level and test.level.upper() in _CEFR_NAMES else 0
    if code in ("ielts_general", "ielts_academic"):
        overall = _ielts_overall(test)
        return 0 if overall is None else int(cefr_from_scores("ielts_overall", np.array([overall]))[0])
    if code == "toefl_ibt" and test.test_date >= _TOEFL_BAND_SCALE_FROM and test.overall is not None:
        return int(cefr_from_scores("toefl_ibt_band", np.array([float(test.overall)]))[0])
    return 0


_CEFR_NAMES = frozenset({"A1", "A2", "B1", "B2", "C1", "C2"})


def _best_cefr(profile: Any, languages: Sequence[str], on: dt.date) -> int:
    levels = [_cefr_of_test(t) for t in profile.language_tests if t.language in languages and t.test_date <= on]
    return max(levels, default=0)


def _latest_job(profile: Any) -> Any | None:
    jobs = list(profile.work_history)
    if not jobs:
        return None
    return max(jobs, key=lambda j: (j.end_date is None, j.end_date or j.start_date, j.start_date))


# --- per-person derivations: value, or None when the profile does not show it ------------------

Deriver = Callable[[Any, dt.date, DerivationContext], Any]


def _priority_profession(profile: Any, on: dt.date, ctx: DerivationContext) -> str:
    latest = _latest_job(profile)
    if latest is None:
        return "not_listed"
    if ctx.in_priority_sector(latest.sector) or (latest.isco08_code or "") in ctx.priority_isco:
        return "priority"
    minor_groups = {code[:3] for code in ctx.priority_isco}
    if any(ctx.in_priority_sector(j.sector) for j in profile.work_history) or (
        latest.isco08_code and latest.isco08_code[:3] in minor_groups
    ):
        return "related"
    return "not_listed"


def _education_field(profile: Any, on: dt.date, ctx: DerivationContext) -> str | None:
    top = _highest(profile)
    if top is None:
        return None
    broad = (top.field_code or "")[:2]
    return "stem" if broad in ("05", "06", "07") else "health" if broad == "09" else "other"


def _highest_isced(profile: Any, on: dt.date, ctx: DerivationContext) -> int | None:
    top = _highest(profile)
    return None if top is None else int(top.level)


def _highest_achievement(profile: Any, on: dt.date, ctx: DerivationContext) -> str:
    order = ["none", "regional", "national", "international"]
    levels = [_code(a.level) for a in profile.achievements if a.year <= on.year]
    return max(levels, key=order.index, default="none")


def _japan_degree(profile: Any, on: dt.date, ctx: DerivationContext) -> str | None:
    top = _highest(profile)
    if top is None:
        return None
    if top.level >= 8:
        return "doctorate"
    if top.level == 7:
        business = _BUSINESS_DEGREE.search(top.degree_title or "")
        return "professional_degree_business" if business else "masters_or_professional_degree"
    return "bachelors_or_equivalent" if top.level == 6 else "none"


def _multiple_degrees(profile: Any, on: dt.date, ctx: DerivationContext) -> bool | None:
    fields = {(e.field_code or "")[:3] or e.field_name.strip().lower() for e in _completed(profile) if e.level >= 7}
    return True if len(fields) >= 2 else None


def _annual_salary_jpy(profile: Any, on: dt.date, ctx: DerivationContext) -> float | Conversion | MissingRate | None:
    offers = [o for o in profile.salary_offers if o.offered_on is None or o.offered_on <= on]
    if not offers:
        return None
    offer = max(enumerate(offers), key=lambda pair: (pair[1].offered_on or dt.date.min, pair[0]))[1]
    per_year = {"year": 1, "month": 12, "hour": _HOURS_PER_YEAR}[_code(offer.period)]
    annual = float(offer.amount) * per_year
    if offer.currency == "JPY":
        return annual
    return load_fx_table().convert(annual, offer.currency, "JPY", on)


def _japanese_language(profile: Any, on: dt.date, ctx: DerivationContext) -> str | None:
    best = None
    for test in profile.language_tests:
        if test.test_date > on:
            continue
        code = _code(test.test)
        level = (test.level or "").upper()
        if (code == "jlpt" and level == "N1") or (code == "bjt" and (test.overall or 0) >= 480):
            return "n1_or_japanese_major"
        if (code == "jlpt" and level == "N2") or (code == "bjt" and (test.overall or 0) >= 400):
            best = "n2"
    return best


def _stay_in_germany(profile: Any, on: dt.date, ctx: DerivationContext) -> bool | None:
    floor = dt.date(on.year - 5, on.month, min(on.day, 28))
    days = 0
    for job in profile.work_history:
        if job.country != "DE":
            continue
        start, end = max(job.start_date, floor), min(job.end_date or on, on)
        days += max((end - start).days, 0)
    return True if days >= 183 else None


def _flag(test: Callable[[Any], bool]) -> Deriver:
    return lambda profile, on, ctx: True if test(profile) else None


def _working_language(profile: Any, on: dt.date, ctx: DerivationContext) -> int:
    return _best_cefr(profile, ctx.working_languages, on)


_PERSON_DERIVERS: dict[str, tuple[Deriver, str]] = {
    # programme-merit
    "priority_profession": (_priority_profession, "work_history"),
    "highest_isced_level": (_highest_isced, "education"),
    "education_field": (_education_field, "education"),
    "peer_reviewed_publications": (lambda p, on, c: sum(1 for x in p.publications if x.peer_reviewed), "publications"),
    "granted_patents": (lambda p, on, c: sum(1 for x in p.patents if _code(x.status) == "granted"), "patents"),
    "working_language_cefr": (_working_language, "language_tests"),
    "highest_achievement_level": (_highest_achievement, "achievements"),
    "international_achievements": (
        lambda p, on, c: sum(1 for a in p.achievements if _code(a.level) == "international"),
        "achievements",
    ),
    # japan-hsp
    "highest_degree": (_japan_degree, "education"),
    "multiple_degrees_different_fields": (_multiple_degrees, "education"),
    "annual_salary_jpy": (_annual_salary_jpy, "salary_offers"),
    "patent_inventor": (_flag(lambda p: any(_code(x.status) == "granted" for x in p.patents)), "patents"),
    "japanese_university_degree": (_flag(lambda p: any(e.country == "JP" for e in _completed(p))), "education"),
    "japanese_language": (_japanese_language, "language_tests"),
    # germany-opportunity-card
    "german_cefr": (lambda p, on, c: _best_cefr(p, ("de",), on), "language_tests"),
    "english_cefr": (lambda p, on, c: _best_cefr(p, ("en",), on), "language_tests"),
    "qualification_recognised_abroad": (_flag(lambda p: any(e.level >= 5 for e in _completed(p))), "education"),
    "previous_stay_germany": (_stay_in_germany, "work_history"),
}

#: Work-years inputs: (look-back window in years or None for the whole career, only priority-sector jobs).
_WORK_YEARS: dict[str, tuple[int | None, bool]] = {
    "priority_experience_years": (None, True),
    "professional_experience_years": (None, False),
    "experience_years_last_5": (5, False),
    "experience_years_last_7": (7, False),
}


def source_of(name: str) -> str:
    """The profile path an input is read from (``education``, ``extensions.<name>``...)."""
    if name in _CRS_SOURCES:
        return _CRS_SOURCES[name]
    if name in _PERSON_DERIVERS:
        return _PERSON_DERIVERS[name][1]
    if name in _WORK_YEARS:
        return "work_history"
    return f"extensions.{name}"


def missing_paths(names: Sequence[str]) -> list[str]:
    """The profile paths to fill in for missing inputs ``names``, in first-seen order, each once."""
    return list(dict.fromkeys(source_of(name) for name in names))


# --- the pool ----------------------------------------------------------------------------------


def _extension_value(spec: Any, value: Any) -> tuple[Any, str | None]:
    """An extension's value checked against the input's type: ``(value, None)`` or ``(None, message)``."""
    if spec.type == "boolean":
        return (value, None) if isinstance(value, bool) else (None, "must be true or false")
    if spec.type == "integer":
        ok = isinstance(value, int) and not isinstance(value, bool)
        return (value, None) if ok else (None, "must be a whole number")
    if spec.type == "number":
        ok = isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)
        return (value, None) if ok else (None, "must be a number")
    values = spec.values or []
    return (value, None) if value in values else (None, f"must be one of: {', '.join(values)}")


def _work_years_columns(
    profiles: Sequence[Any], on: dt.date, wanted: list[str], ctx: DerivationContext
) -> dict[str, np.ndarray]:
    person, start, end, hours, priority = [], [], [], [], []
    for i, profile in enumerate(profiles):
        for job in profile.work_history:
            person.append(i)
            start.append(job.start_date)
            end.append(job.end_date or on)
            hours.append(job.hours_per_week)
            priority.append(ctx.in_priority_sector(job.sector))
    out = {}
    for name in wanted:
        window, priority_only = _WORK_YEARS[name]
        if not person:
            out[name] = np.zeros(len(profiles), dtype=np.int16)
            continue
        out[name] = work_years(
            np.array(person),
            np.array(start, dtype="datetime64[D]"),
            np.array(end, dtype="datetime64[D]"),
            on,
            len(profiles),
            window_years=window,
            include=np.array(priority) if priority_only else None,
            hours_per_week=np.array(hours, dtype=np.float64),
        )
    return out


def derive_for_policy(
    policy: Policy, profiles: Sequence[Any], on: dt.date, context: DerivationContext | None = None
) -> DerivedPool:
    """The derived-input columns ``policy`` reads, for canonical ``profiles`` at date ``on``."""
    ctx = context or DEFAULT_CONTEXT
    n = len(profiles)
    specs = {spec.name: spec for spec in policy.inputs}
    values: dict[str, np.ndarray] = {}
    missing: dict[str, np.ndarray] = {}
    problems: list[tuple[int, str, str]] = []
    notes: list[tuple[int, str, str]] = []

    crs_wanted = [name for name in specs if name in _CRS_SOURCES]
    if crs_wanted:
        crs = derive_inputs(profiles, on)
        for name in crs_wanted:
            values[name] = np.asarray(crs.values[name])
            if name in crs.missing:
                missing[name] = np.asarray(crs.missing[name])
            vocabulary = crs.vocabularies.get(name)
            declared = specs[name].values
            if vocabulary is not None and declared is not None and list(vocabulary) != list(declared):
                # derive_inputs codes into its own vocabulary; recode into the policy's declared values.
                lookup = np.array([declared.index(v) if v in declared else -1 for v in vocabulary], dtype=np.int16)
                values[name] = lookup[values[name]]
    if "age_years" in specs and "age_years" not in values:
        births = np.array([p.identity.date_of_birth for p in profiles], dtype="datetime64[D]")
        values["age_years"] = completed_years(births, np.datetime64(on, "D")) if n else np.zeros(0, np.int16)
    values.update(_work_years_columns(profiles, on, [name for name in specs if name in _WORK_YEARS], ctx))

    for name, spec in specs.items():
        if name in values:
            continue
        deriver = _PERSON_DERIVERS.get(name, (None, ""))[0]
        raw: list[Any] = [None] * n
        for i, profile in enumerate(profiles):
            value = deriver(profile, on, ctx) if deriver is not None else None
            missing_rate = value if isinstance(value, MissingRate) else None
            if isinstance(value, Conversion):
                notes.append((i, name, value.note))
                value = value.amount
            elif missing_rate is not None:
                value = None
            if value is None and name in profile.extensions and profile.extensions[name] is not None:
                value, problem = _extension_value(spec, profile.extensions[name])
                if problem:
                    problems.append((i, f"extensions.{name}", f"{name} {problem}"))
            if value is None and missing_rate is not None:
                # Never guessed: the input stays missing and the refusal names currency and year.
                problems.append((i, source_of(name), f"{name}: {missing_rate.message}"))
            raw[i] = value
        column, absent = _column(spec, raw)
        values[name] = column
        if absent is not None:
            missing[name] = absent
    return DerivedPool(Columns(values, missing), problems, notes)


def _column(spec: Any, raw: list[Any]) -> tuple[np.ndarray, np.ndarray | None]:
    """Values as the column type ``evaluate_columns`` reads; ``None`` takes the default or is missing."""
    absent = np.array([v is None for v in raw], dtype=bool)
    default = spec.default
    if spec.type == "category":
        declared = spec.values or []
        fill = declared.index(default) if default is not None else -1
        codes = np.array([fill if v is None else declared.index(v) for v in raw], dtype=np.int16)
        return codes, None
    if spec.type == "boolean":
        column = np.array([bool(default) if v is None else v for v in raw], dtype=bool)
        return column, (absent if default is None and absent.any() else None)
    if spec.type == "integer":
        column = np.array([(default or 0) if v is None else v for v in raw], dtype=np.int64)
        return column, (absent if default is None and absent.any() else None)
    column = np.array([(default if default is not None else np.nan) if v is None else v for v in raw], dtype=float)
    return column, None
