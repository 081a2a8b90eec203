"""Derived inputs: from facts as recorded (test scores, degrees, dates) to the columns policies read.

Policies never read a profile directly; they read columns named for meaning and unit
(``age_years``, ``clb_first_official_listening``, ``has_accompanying_spouse``...). This module
holds the documented conversions, all vectorized:

- :func:`clb_from_scores`: a designated test's per-ability scores -> CLB/NCLC level, by IRCC's
  equivalency charts (``data/language_tests.yaml``, with its source), per test date for TEF Canada;
- :func:`cefr_from_scores` and :func:`cefr_code`: CEFR levels as codes 0 (none) .. 6 (C2);
- :func:`crs_education_level`: ISCED 2011 level (+ credential count) -> the CRS education level;
- :func:`completed_years`: age or any span in whole completed years at a date;
- :func:`work_years`: years of work from employment spells at a date (overlaps counted once,
  within a look-back window, optionally only some spells, e.g. those in one country);
- :func:`derive_inputs`: the adapter from canonical profiles (``talentgate.canonical``) to columns.

>>> import numpy as np
>>> clb_from_scores("ielts_general", "listening", np.array([8.5, 7.5, 4.0, np.nan]))[0].tolist()
[10, 8, 0, 0]
>>> crs_education_level(np.array([3, 6, 7, 8])).tolist()
[1, 4, 6, 7]
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Sequence
from importlib import resources
from typing import Any

import numpy as np
import yaml

from talentgate.engines.rules.vectorized import Columns

__all__ = [
    "ABILITIES",
    "CEFR_LEVELS",
    "CRS_CANADIAN_EDUCATION",
    "CRS_EDUCATION_LEVELS",
    "cefr_code",
    "cefr_from_scores",
    "clb_from_scores",
    "completed_years",
    "crs_education_level",
    "derive_inputs",
    "language_tables",
    "work_years",
]

ABILITIES = ("reading", "writing", "listening", "speaking")
CEFR_LEVELS = ("A1", "A2", "B1", "B2", "C1", "C2")
CRS_EDUCATION_LEVELS = (
    "less_than_secondary",
    "secondary",
    "one_year_post_secondary",
    "two_year_post_secondary",
    "bachelors_or_three_year_program",
    "two_or_more_credentials_one_three_year",
    "masters_or_professional_degree",
    "doctoral",
)
CRS_CANADIAN_EDUCATION = ("none", "one_or_two_year", "three_year_or_longer")
_CLB_TESTS_ENGLISH = ("ielts_general", "celpip_general", "pte_core")
_CLB_TESTS_FRENCH = ("tef_canada", "tcf_canada")


@functools.cache
def language_tables() -> dict[str, Any]:
    """The shipped equivalence tables (``data/language_tests.yaml``), read once."""
    text = resources.files("talentgate.engines.rules").joinpath("data/language_tests.yaml").read_text("utf-8")
    return yaml.safe_load(text)


@functools.cache
def _clb_lookup(test: str, ability: str, table_index: int) -> tuple[np.ndarray, float, float]:
    """A level per grid point of the test's scale: ``lut[round(score / step)]``."""
    spec = language_tables()["clb"].get(test)
    if spec is None:
        raise ValueError(f"test: '{test}' has no CLB/NCLC equivalence (known: {sorted(language_tables()['clb'])})")
    if ability not in ABILITIES:
        raise ValueError(f"ability: '{ability}' is not one of {ABILITIES}")
    step = float(spec["step"])
    rows = spec["tables"][table_index]["rows"]
    top = max(row[ability][1] for row in rows)
    lut = np.zeros(round(top / step) + 1, dtype=np.int8)
    for row in rows:
        low, high = row[ability]
        lut[round(low / step) : round(high / step) + 1] = row["level"]
    return lut, step, top


def _dates(value: Any, n: int) -> np.ndarray:
    array = np.asarray(value, dtype="datetime64[D]")
    return np.broadcast_to(array, (n,)) if array.ndim == 0 else array


def clb_from_scores(test: str, ability: str, scores: np.ndarray, taken_on: Any = None) -> tuple[np.ndarray, np.ndarray]:
    """CLB (English) or NCLC (French) level per score, and where the score is missing (``NaN``).

    The level is IRCC's chart row containing the score; 10 means "10 and above"; 0 means below the
    chart. For ``tef_canada`` ``taken_on`` (a date or an array of dates) picks the table in force
    for the test date (before 2023-12-11 the score must be on the historical scale).
    Scores off the test's grid or outside its scale raise ``ValueError`` naming the test and ability.
    """
    scores = np.asarray(scores, dtype=np.float64)
    missing = np.isnan(scores)
    spec = language_tables()["clb"].get(test)
    if spec is None:
        raise ValueError(f"test: '{test}' has no CLB/NCLC equivalence (known: {sorted(language_tables()['clb'])})")
    tables = spec["tables"]
    if len(tables) == 1 or taken_on is None:
        return _levels(test, ability, scores, missing, 0), missing
    dates = _dates(taken_on, len(scores))
    result = np.zeros(len(scores), dtype=np.int8)
    for index, table in enumerate(tables):
        start, end = table["test_dates"]["from"], table["test_dates"]["to"]
        inside = np.ones(len(scores), dtype=bool)
        if start:
            inside &= dates >= np.datetime64(start)
        if end:
            inside &= dates <= np.datetime64(end)
        if inside.any():
            result[inside] = _levels(test, ability, scores[inside], missing[inside], index)
    return result, missing


def _levels(test: str, ability: str, scores: np.ndarray, missing: np.ndarray, table_index: int) -> np.ndarray:
    lut, step, top = _clb_lookup(test, ability, table_index)
    scaled = scores * (1.0 / step)
    with np.errstate(invalid="ignore"):
        slots = scaled.astype(np.int32)  # NaN (missing) becomes a negative sentinel
    # Off the grid, or outside the scale (the unsigned view makes negatives huge): everything
    # flagged must be a missing score, else the column is refused.
    wrong = (slots != scaled) | (slots.view(np.uint32) > len(lut) - 1)
    if np.count_nonzero(wrong) != np.count_nonzero(missing):
        bad = scores[wrong & ~missing]
        if np.any(np.abs(np.rint(bad / step) - bad / step) > 1e-6):
            raise ValueError(f"{test}.{ability}: scores must be on the test's grid (steps of {step:g})")
        raise ValueError(f"{test}.{ability}: scores must be between 0 and {top:g}")
    padded = _padded_lookup(test, ability, table_index)
    return np.take(padded, np.minimum(slots.view(np.uint32), np.uint32(len(lut))))


@functools.cache
def _padded_lookup(test: str, ability: str, table_index: int) -> np.ndarray:
    # One extra 0 at the end serves missing scores (their slot is clamped there).
    lut, _, _ = _clb_lookup(test, ability, table_index)
    return np.concatenate([lut, np.zeros(1, dtype=lut.dtype)])


def cefr_code(level: str | None) -> int:
    """``"B2"`` -> 4; ``None`` or ``""`` -> 0 (no level)."""
    if not level:
        return 0
    level = level.strip().upper()
    if level not in CEFR_LEVELS:
        raise ValueError(f"level: '{level}' is not a CEFR level {CEFR_LEVELS}")
    return CEFR_LEVELS.index(level) + 1


def cefr_from_scores(scale: str, scores: np.ndarray) -> np.ndarray:
    """CEFR code (0 none .. 6 C2) from an overall score: ``ielts_overall`` or ``toefl_ibt_band`` (2026 scale)."""
    spec = language_tables()["cefr"].get(scale)
    if spec is None or not isinstance(spec, dict):
        raise ValueError(f"scale: '{scale}' has no CEFR alignment here")
    scores = np.asarray(scores, dtype=np.float64)
    result = np.zeros(len(scores), dtype=np.int8)
    for row in spec["rows"]:
        inside = (scores >= row["min"]) & (scores <= row["max"])
        result[inside] = cefr_code(row["level"])
    return result


def crs_education_level(
    isced_level: np.ndarray,
    post_secondary_credentials: np.ndarray | None = None,
    one_year_program: np.ndarray | None = None,
) -> np.ndarray:
    """Codes into :data:`CRS_EDUCATION_LEVELS` from the highest ISCED 2011 level.

    Our mapping (a policy decision, not IRCC's: IRCC relies on an Educational Credential
    Assessment): ISCED 0-2 -> less than secondary; 3 -> secondary; 4 (post-secondary
    non-tertiary) -> one-year program (or two-year when ``one_year_program`` is False);
    5 (short-cycle tertiary) -> two-year program; 6 -> bachelor's; 7 -> master's or professional;
    8 -> doctoral. A bachelor's-level highest credential with two or more post-secondary
    credentials becomes "two or more credentials, one of three years or longer".
    """
    isced = np.asarray(isced_level, dtype=np.int16)
    if isced.size and (isced.min() < 0 or isced.max() > 8):
        raise ValueError("isced_level: ISCED 2011 levels are 0 to 8")
    table = np.array([0, 0, 0, 1, 2, 3, 4, 6, 7], dtype=np.int16)
    codes = table[isced]
    if one_year_program is not None:
        codes = np.where((isced == 4) & ~np.asarray(one_year_program, dtype=bool), 3, codes)
    if post_secondary_credentials is not None:
        several = np.asarray(post_secondary_credentials) >= 2
        codes = np.where((isced == 6) & several, 5, codes)
    return codes.astype(np.int16)


def completed_years(start: Any, on: Any) -> np.ndarray:
    """Whole years from ``start`` to ``on`` (dates or arrays of dates), e.g. age at a date."""
    begin = np.asarray(start, dtype="datetime64[D]")
    end = np.asarray(on, dtype="datetime64[D]")
    by = begin.astype("datetime64[Y]").astype(np.int32) + 1970
    ey = end.astype("datetime64[Y]").astype(np.int32) + 1970
    # Month-day of each date as days since its 1 January, compared on a leap-neutral 0229 basis.
    bmd = _month_day(begin)
    emd = _month_day(end)
    years = ey - by - (emd < bmd)
    return np.asarray(years, dtype=np.int16)


def _month_day(dates: np.ndarray) -> np.ndarray:
    months = dates.astype("datetime64[M]")
    month = months.astype(np.int32) % 12
    day = (dates - months).astype(np.int32)
    return month * 32 + day


def work_years(
    person: np.ndarray,
    start: np.ndarray,
    end: np.ndarray,
    on: dt.date,
    n_people: int,
    window_years: int | None = 10,
    include: np.ndarray | None = None,
    hours_per_week: np.ndarray | None = None,
) -> np.ndarray:
    """Completed years of work per person at ``on``, from spells (``person``, ``start``, ``end``).

    An open spell (``end`` NaT) runs to ``on``; only the last ``window_years`` count; ``include``
    keeps some spells (e.g. those in Canada). Without ``hours_per_week`` overlapping spells are
    counted once; with it, each spell counts as full-time equivalent (hours / 30, at most 1) and
    concurrent part-time jobs add up, as IRCC counts part-time work. A year is 365 days of work.
    """
    person = np.asarray(person, dtype=np.int64)
    begin = np.asarray(start, dtype="datetime64[D]")
    finish = np.asarray(end, dtype="datetime64[D]")
    today = np.datetime64(on, "D")
    finish = np.where(np.isnat(finish) | (finish > today), today, finish)
    if window_years is not None:
        floor = np.datetime64(dt.date(on.year - window_years, on.month, min(on.day, 28)), "D")
        begin = np.maximum(begin, floor)
    keep = finish > begin
    if include is not None:
        keep &= np.asarray(include, dtype=bool)
    weights = None
    if hours_per_week is not None:
        weights = np.minimum(np.asarray(hours_per_week, dtype=np.float64) / 30.0, 1.0)[keep]
    person, begin, finish = person[keep], begin[keep].astype(np.int64), finish[keep].astype(np.int64)
    if weights is not None:
        days = np.bincount(person, weights=(finish - begin) * weights, minlength=n_people)
        return (days // 365).astype(np.int16)
    order = np.lexsort((begin, person))
    person, begin, finish = person[order], begin[order], finish[order]
    # Days covered once: each spell counts from the later of its start and the furthest end
    # reached so far by the same person's earlier spells (an offset per person keeps the running
    # maximum from crossing people).
    span = 1 << 32
    offset = person * span
    reach = np.maximum.accumulate(finish + offset) - offset
    previous = np.concatenate(([np.iinfo(np.int64).min // 4], reach[:-1]))
    same = np.concatenate(([False], person[1:] == person[:-1]))
    covered_from = np.where(same, np.maximum(begin, previous), begin)
    days = np.maximum(finish - covered_from, 0)
    total = np.bincount(person, weights=days, minlength=n_people)
    return (total // 365).astype(np.int16)


# --- the adapter from canonical profiles ------------------------------------------------------


def _best_clb(tests: Sequence[Any], codes: tuple[str, ...], on: dt.date, validity_years: int = 2) -> list[int] | None:
    """The four CLB levels of the best valid designated test among ``tests`` (IRCC: results valid 2 years)."""
    best: list[int] | None = None
    for test in tests:
        code = getattr(test.test, "value", test.test)
        if code not in codes or test.test_date > on:
            continue
        if (on - test.test_date).days > validity_years * 365 + validity_years // 4:
            continue
        levels = []
        for ability in ABILITIES:
            score = getattr(test, ability)
            if score is None:
                break
            level, _ = clb_from_scores(code, ability, np.array([score]), taken_on=test.test_date)
            levels.append(int(level[0]))
        else:
            if best is None or min(levels) > min(best) or (min(levels) == min(best) and sum(levels) > sum(best)):
                best = levels
    return best


def derive_inputs(profiles: Sequence[Any], on: dt.date) -> Columns:
    """Columns (and missing masks) of the CRS-style derived inputs for canonical profiles at ``on``.

    Reads ``talentgate.canonical.CandidateProfile`` objects (duck-typed: this engine imports no
    platform package). Documented choices: the first official language is whichever of English
    and French has the higher lowest ability (English on a tie); the spouse is "accompanying and
    not a Canadian citizen/PR" when a spouse or partner is listed without Canadian citizenship
    (permanent residence is read from the extension ``spouse_canadian_permanent_resident``);
    Canadian and foreign work use completed years within the last 10 years, full-time equivalent;
    extension fields ``provincial_nomination``, ``sibling_in_canada``, ``canadian_education``
    (none / one_or_two_year / three_year_or_longer) and ``certificate_of_qualification`` are read
    when present.
    """
    n = len(profiles)
    values: dict[str, Any] = {}
    missing: dict[str, np.ndarray] = {}

    def column(name: str, dtype: Any, fill: Any = 0) -> np.ndarray:
        values[name] = np.full(n, fill, dtype=dtype)
        return values[name]

    def absent(name: str) -> np.ndarray:
        if name not in missing:
            missing[name] = np.zeros(n, dtype=bool)
        return missing[name]

    births = np.array([p.identity.date_of_birth for p in profiles], dtype="datetime64[D]")
    values["age_years"] = completed_years(births, np.datetime64(on, "D")) if n else np.zeros(0, np.int16)
    education = column("education_level", np.int16)
    spouse_education = column("spouse_education_level", np.int16)
    has_spouse = column("has_accompanying_spouse", bool, False)
    for prefix in ("clb_first_official_", "clb_second_official_", "clb_english_", "nclc_french_", "spouse_clb_"):
        for ability in ABILITIES:
            column(prefix + ability, np.int8)
    flags = {
        "has_provincial_nomination": "provincial_nomination",
        "has_sibling_in_canada": "sibling_in_canada",
        "has_certificate_of_qualification": "certificate_of_qualification",
    }
    for name in flags:
        column(name, bool, False)
    canadian_education = column("canadian_education", np.int16)

    spells: dict[str, list[Any]] = {"person": [], "start": [], "end": [], "canada": [], "hours": []}
    spouse_spells: dict[str, list[Any]] = {"person": [], "start": [], "end": [], "canada": [], "hours": []}
    for i, profile in enumerate(profiles):
        levels = [e.level for e in profile.education if e.graduation_year is not None]
        if levels:
            several = sum(1 for level in levels if level >= 4)
            education[i] = crs_education_level(np.array([max(levels)]), np.array([several]))[0]
        else:
            absent("education_level")[i] = True
        english = _best_clb(profile.language_tests, _CLB_TESTS_ENGLISH, on)
        french = _best_clb(profile.language_tests, _CLB_TESTS_FRENCH, on)
        for ability_index, ability in enumerate(ABILITIES):
            values["clb_english_" + ability][i] = english[ability_index] if english else 0
            values["nclc_french_" + ability][i] = french[ability_index] if french else 0
        first, second = english, french
        if french and (not english or min(french) > min(english)):
            first, second = french, english
        for ability_index, ability in enumerate(ABILITIES):
            if first:
                values["clb_first_official_" + ability][i] = first[ability_index]
            else:
                absent("clb_first_official_" + ability)[i] = True
            values["clb_second_official_" + ability][i] = second[ability_index] if second else 0
        for job in profile.work_history:
            spells["person"].append(i)
            spells["start"].append(job.start_date)
            spells["end"].append(job.end_date or on)
            spells["canada"].append(job.country == "CA")
            spells["hours"].append(job.hours_per_week)
        spouse = next(
            (m for m in profile.family if getattr(m.relation, "value", m.relation) in ("spouse", "partner")), None
        )
        # A spouse who is a Canadian citizen or permanent resident does not count as accompanying.
        if (
            spouse is not None
            and "CA" not in spouse.citizenships
            and not profile.extensions.get("spouse_canadian_permanent_resident")
        ):
            has_spouse[i] = True
            spouse_levels = [e.level for e in spouse.education if e.graduation_year is not None]
            if spouse_levels:
                spouse_education[i] = crs_education_level(np.array([max(spouse_levels)]))[0]
            else:
                absent("spouse_education_level")[i] = True
            spouse_clb = _best_clb(spouse.language_tests, _CLB_TESTS_ENGLISH + _CLB_TESTS_FRENCH, on)
            for ability_index, ability in enumerate(ABILITIES):
                values["spouse_clb_" + ability][i] = spouse_clb[ability_index] if spouse_clb else 0
            for job in spouse.work_history:
                spouse_spells["person"].append(i)
                spouse_spells["start"].append(job.start_date)
                spouse_spells["end"].append(job.end_date or on)
                spouse_spells["canada"].append(job.country == "CA")
                spouse_spells["hours"].append(job.hours_per_week)
        for name, key in flags.items():
            values[name][i] = bool(profile.extensions.get(key, False))
        credential = profile.extensions.get("canadian_education")
        if credential is not None:
            if credential not in CRS_CANADIAN_EDUCATION:
                raise ValueError(
                    f"extensions.canadian_education: '{credential}' is not one of {CRS_CANADIAN_EDUCATION}"
                )
            canadian_education[i] = CRS_CANADIAN_EDUCATION.index(str(credential))

    def years(source: dict[str, list[Any]], canada: bool) -> np.ndarray:
        if not source["person"]:
            return np.zeros(n, dtype=np.int16)
        inside = np.array(source["canada"]) if canada else ~np.array(source["canada"])
        return work_years(
            np.array(source["person"]),
            np.array(source["start"], dtype="datetime64[D]"),
            np.array(source["end"], dtype="datetime64[D]"),
            on,
            n,
            include=inside,
            hours_per_week=np.array(source["hours"], dtype=np.float64),
        )

    values["canadian_work_years"] = years(spells, canada=True)
    values["foreign_work_years"] = years(spells, canada=False)
    values["spouse_canadian_work_years"] = years(spouse_spells, canada=True)
    vocabularies = {
        "education_level": CRS_EDUCATION_LEVELS,
        "spouse_education_level": CRS_EDUCATION_LEVELS,
        "canadian_education": CRS_CANADIAN_EDUCATION,
    }
    return Columns(values, missing, vocabularies)
