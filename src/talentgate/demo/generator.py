"""The seeded generator of the demo programme: candidates with coherent careers, hosts with opportunities,
and the path each application took. No Django: ``talentgate demo export`` runs it without a database.

Determinism: candidate ``i`` of seed ``s`` is drawn from its own ``random.Random`` seeded by
``(s, i)`` and a fixed ``as_of`` date, so the same seed and date give the same people, and the
first 100 candidates of a 10,000 run are the 100 of a 100 run (a load can be topped up).

Coherence, by construction: a career is laid out forward in age (school until 18, degrees in
order, jobs between and after them) and the date of birth is then placed so that the career
ends at ``as_of``. So degrees come before the jobs that need them, a bachelor's degree is
finished at 21 or later, and ages match careers. Language test results are drawn on each
test's own scale (IELTS half bands 4.0-9.0, TOEFL 0-30 per section before 2026-01-21 and
1-6 bands after, TORFL levels with subtests of at least 66 %, JLPT N1-N5...).

>>> from datetime import date
>>> first = next(iter(generate_candidates(1, seed=7, as_of=date(2026, 6, 1))))
>>> first.profile["id"]
'demo-0000000'
"""

from __future__ import annotations

import math
import random
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from typing import Any

from anyascii import anyascii

from talentgate.canonical.language_tests import ielts_overall_band
from talentgate.demo import catalogue
from talentgate.demo.names import ORIGINS, NameMaker, Origin, PersonName

__all__ = [
    "ApplicationPlan",
    "DemoCandidate",
    "OfferPlan",
    "OpportunitySpec",
    "StepPlan",
    "candidate_id",
    "generate_candidates",
    "generate_opportunities",
]

# The candidate whose account is the printed demo login: their application is matched with an open offer.
SHOWCASE_INDEX = 0

# A TOEFL iBT taken on or after this day reports 1-6 bands (ETS), before it 0-30 per section.
TOEFL_BANDS_FROM = date(2026, 1, 21)

# Short country names for employer names, and international calling codes (ITU-T E.164 assignments).
_COUNTRY: dict[str, tuple[str, str]] = {
    "RU": ("Russia", "7"),
    "CN": ("China", "86"),
    "IN": ("India", "91"),
    "BR": ("Brazil", "55"),
    "ZA": ("South Africa", "27"),
    "EG": ("Egypt", "20"),
    "ET": ("Ethiopia", "251"),
    "IR": ("Iran", "98"),
    "AE": ("Emirates", "971"),
    "ID": ("Indonesia", "62"),
    "BY": ("Belarus", "375"),
    "KZ": ("Kazakhstan", "7"),
    "UZ": ("Uzbekistan", "998"),
    "KG": ("Kyrgyzstan", "996"),
    "AM": ("Armenia", "374"),
    "AZ": ("Azerbaijan", "994"),
    "VN": ("Vietnam", "84"),
    "NG": ("Nigeria", "234"),
    "PK": ("Pakistan", "92"),
    "TR": ("Türkiye", "90"),
    "SA": ("Saudi", "966"),
    "DZ": ("Algeria", "213"),
    "JO": ("Jordan", "962"),
    "KR": ("Korea", "82"),
    "JP": ("Japan", "81"),
    "NP": ("Nepal", "977"),
    "GE": ("Georgia", "995"),
    "KE": ("Kenya", "254"),
    "GH": ("Ghana", "233"),
    "MX": ("Mexico", "52"),
    "AR": ("Argentina", "54"),
    "CO": ("Colombia", "57"),
    "CL": ("Chile", "56"),
    "CU": ("Cuba", "53"),
    "BG": ("Bulgaria", "359"),
    "GR": ("Hellenic", "30"),
    "DE": ("German", "49"),
    "FR": ("French", "33"),
    "IT": ("Italian", "39"),
}
_EMPLOYER_PATTERNS = (
    "{country} Space Agency",
    "{country} Aerospace Industries",
    "{country} Satellite Communications",
    "{country} Institute of Applied Physics",
    "{country} Rocket Engine Works",
    "{country} Remote Sensing Centre",
    "{country} Precision Instruments",
    "{country} National Telecom",
)
# Where Russian is widely spoken (so a self-assessment, not a TORFL certificate, is the usual record).
_RUSSIAN_SPEAKING = frozenset({"RU", "BY", "KZ", "KG", "AM", "AZ", "UZ", "GE"})
_ENGLISH_OFFICIAL = frozenset({"NG", "KE", "GH", "ZA", "IN", "PK"})
_FRANCOPHONE = frozenset({"DZ", "FR"})

_ORIGIN_WEIGHTS = [o.weight for o in ORIGINS]
_OCCUPATION_WEIGHTS = [3 if o.isco08.startswith("2") else 1 for o in catalogue.OCCUPATIONS]

# Application outcomes of the demo pool (shares), and the stage each non-final status follows.
_STATUS_SHARES = (
    ("draft", 0.12),
    ("submitted", 0.18),
    ("screening", 0.14),
    ("assessed", 0.14),
    ("invited", 0.1),
    ("matched", 0.1),
    ("rejected", 0.14),
    ("withdrawn", 0.08),
)
_FORWARD = (
    ("submit", "draft", "submitted", "candidate", (1, 30)),
    ("start_screening", "submitted", "screening", "officer", (2, 20)),
    ("mark_assessed", "screening", "assessed", "officer", (5, 45)),
    ("invite", "assessed", "invited", "supervisor", (3, 30)),
    ("mark_matched", "invited", "matched", "officer", (10, 60)),
)
_ORDER = ["draft", "submitted", "screening", "assessed", "invited", "matched"]


@dataclass(frozen=True)
class StepPlan:
    """One transition an application went through: its name, states, when and by which kind of actor."""

    transition: str
    from_state: str
    to_state: str
    at: datetime
    by: str  # "candidate", "officer" or "supervisor"
    reason: str = ""


@dataclass(frozen=True)
class OfferPlan:
    """An offer to a matched candidate; the loader picks the opportunity with ``pick`` among the sector's."""

    status: str  # offered, accepted, declined, lapsed
    made_at: datetime
    expires_at: datetime
    decided_at: datetime | None
    salary_rub_month: int
    pick: int


@dataclass(frozen=True)
class ApplicationPlan:
    """The application a candidate made to the demo programme and the path it has taken so far."""

    sector: str
    created_at: datetime
    status: str
    steps: tuple[StepPlan, ...]
    offer: OfferPlan | None


@dataclass
class DemoCandidate:
    """One generated candidate: the canonical profile (a JSON-ready dict), the login e-mail and the application."""

    index: int
    profile: dict[str, Any]
    email: str
    application: ApplicationPlan | None
    origin: str = ""


@dataclass(frozen=True)
class OpportunitySpec:
    """One opportunity of one demo host organisation (``host`` is a ``HostSpec.slug``)."""

    host: str
    title: str
    kind: str
    sector: str
    description: str
    isco08: str
    skills: tuple[str, ...]
    languages: tuple[tuple[str, str], ...]  # (ISO 639-1, minimum CEFR level)
    min_education_level: int
    min_experience_years: int
    capacity: int
    salary_min: int
    salary_max: int
    city: str
    status: str  # draft, published, closed
    application_deadline: date
    start_date: date
    published_at: datetime | None = None
    extra: dict[str, Any] = field(default_factory=dict)


def candidate_id(index: int) -> str:
    """The external id of demo candidate ``index`` (stable across loads and exports)."""
    return f"demo-{index:07d}"


def _rng(seed: int, index: int, salt: int = 0) -> random.Random:
    # Integer arithmetic, not hash(): str/tuple hashing is salted per process.
    return random.Random((seed * 1_000_003 + index) * 7 + salt)  # nosec B311  # demo data, reproducible by seed


def _months(rng: random.Random, low_years: float, high_years: float) -> int:
    return round(rng.uniform(low_years, high_years) * 12)


def _at_age(born: date, months: int) -> date:
    """The first day of the month ``months`` after birth (careers are dated to the month)."""
    total = born.year * 12 + (born.month - 1) + months
    return date(total // 12, total % 12 + 1, 1)


def _half(value: float) -> float:
    return math.floor(value * 2 + 0.5) / 2


def _clamp(value: float, low: float, high: float) -> float:
    return max(low, min(high, value))


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", ".", anyascii(text).lower()).strip(".") or "x"


# ------------------------------------------------------------------------------ language tests


def _ielts(rng: random.Random, on: date, ability: float) -> dict[str, Any]:
    bands = {
        s: _clamp(_half(ability + rng.gauss(0, 0.5)), 4.0, 9.0) for s in ("listening", "reading", "writing", "speaking")
    }
    test = "ielts_academic" if rng.random() < 0.6 else "ielts_general"
    overall = ielts_overall_band(bands["listening"], bands["reading"], bands["writing"], bands["speaking"])
    return {"test": test, "test_date": on, **bands, "overall": overall}


def _toefl(rng: random.Random, on: date, ability: float) -> dict[str, Any]:
    if on >= TOEFL_BANDS_FROM:
        # 1-6 bands in half steps; the overall band is the mean rounded to the nearest half band.
        bands = {
            s: _clamp(_half((ability - 3) + rng.gauss(0, 0.5)), 1.0, 6.0)
            for s in ("listening", "reading", "writing", "speaking")
        }
        return {
            "test": "toefl_ibt",
            "test_date": on,
            **bands,
            "overall": _clamp(_half(sum(bands.values()) / 4), 1.0, 6.0),
        }
    sections = {
        s: int(_clamp(round((ability - 3) * 5 + rng.gauss(0, 2.5)), 0, 30))
        for s in ("listening", "reading", "writing", "speaking")
    }
    return {"test": "toefl_ibt", "test_date": on, **sections, "overall": sum(sections.values())}


def _pte(rng: random.Random, on: date, ability: float) -> dict[str, Any]:
    parts = {
        s: int(_clamp(round(10 + (ability - 3.5) * 14 + rng.gauss(0, 5)), 10, 90))
        for s in ("listening", "reading", "writing", "speaking")
    }
    return {"test": "pte_core", "test_date": on, **parts, "overall": round(sum(parts.values()) / 4)}


_CEFR = ("A1", "A2", "B1", "B2", "C1", "C2")


def _torfl(rng: random.Random, on: date) -> dict[str, Any]:
    level = rng.choices(_CEFR[1:], weights=(1, 4, 4, 2, 1))[0]
    # A TORFL level is passed with at least 66 % in each subtest.
    parts = {s: rng.randint(66, 98) for s in ("listening", "reading", "writing", "speaking")}
    return {"test": "torfl", "test_date": on, "level": level, **parts}


def _jlpt(rng: random.Random, on: date) -> dict[str, Any]:
    level = rng.choice(("N1", "N2", "N3", "N4", "N5"))
    listening, reading, knowledge = rng.randint(25, 60), rng.randint(25, 60), rng.randint(25, 60)
    return {
        "test": "jlpt",
        "test_date": on,
        "level": level,
        "listening": listening,
        "reading": reading,
        "overall": listening + reading + knowledge,
    }


def _hsk(rng: random.Random, on: date) -> dict[str, Any]:
    level = rng.choice(("HSK3", "HSK4", "HSK5", "HSK6"))
    parts = {s: rng.randint(60, 100) for s in ("listening", "reading", "writing")}
    return {"test": "hsk", "test_date": on, "level": level, **parts, "overall": sum(parts.values())}


def _goethe(rng: random.Random, on: date) -> dict[str, Any]:
    level = rng.choice(("B1", "B2", "C1"))
    parts = {s: rng.randint(60, 100) for s in ("listening", "reading", "writing", "speaking")}
    return {"test": "goethe", "test_date": on, "level": level, **parts, "overall": round(sum(parts.values()) / 4)}


def _delf(rng: random.Random, on: date) -> dict[str, Any]:
    level = rng.choice(("B1", "B2", "C1"))
    parts = {s: _half(rng.uniform(12, 24)) for s in ("listening", "reading", "writing", "speaking")}
    return {"test": "delf_dalf", "test_date": on, "level": level, **parts, "overall": sum(parts.values())}


def _language_tests(
    rng: random.Random, origin: Origin, born: date, as_of: date, degree_level: int
) -> list[dict[str, Any]]:
    earliest = max(_at_age(born, 16 * 12), as_of - timedelta(days=6 * 365))

    def when() -> date:
        span = (as_of - earliest).days
        return earliest + timedelta(days=rng.randint(0, max(span - 1, 0)))

    tests: list[dict[str, Any]] = []
    ability = _clamp(rng.gauss(6.3 + 0.25 * (degree_level - 6), 0.9), 4.0, 9.0)
    if origin.country in _ENGLISH_OFFICIAL and rng.random() < 0.5:
        tests.append({"test": "cefr_self", "test_date": when(), "language": "en", "level": rng.choice(("C1", "C2"))})
    else:
        roll = rng.random()
        if roll < 0.5:
            tests.append(_ielts(rng, when(), ability))
        elif roll < 0.7:
            tests.append(_toefl(rng, when(), ability))
        elif roll < 0.76:
            tests.append(_pte(rng, when(), ability))
        elif roll < 0.92:
            level = _CEFR[int(_clamp(round(ability - 3.5), 1, 5))]
            tests.append({"test": "cefr_self", "test_date": when(), "language": "en", "level": level})
    if origin.language != "ru":
        if origin.country in _RUSSIAN_SPEAKING:
            tests.append(
                {"test": "cefr_self", "test_date": when(), "language": "ru", "level": rng.choice(("B2", "C1", "C2"))}
            )
        elif rng.random() < 0.3:
            tests.append(_torfl(rng, when()))
    if origin.country in ("CN", "KR", "VN") and rng.random() < 0.08:
        tests.append(_jlpt(rng, when()))
    if origin.country not in ("CN",) and rng.random() < 0.03:
        tests.append(_hsk(rng, when()))
    if rng.random() < 0.04:
        tests.append(_goethe(rng, when()))
    if origin.country in _FRANCOPHONE or rng.random() < 0.02:
        tests.append(_delf(rng, when()))
    return tests


# ------------------------------------------------------------------------------ careers

_DEGREE_YEARS = {3: (2, 3), 4: (2, 3), 5: (2, 3), 6: (4, 4), 7: (2, 2), 8: (3, 4)}
_DEGREE_TITLE = {3: "Vocational diploma", 4: "Technician diploma", 5: "Associate degree", 6: "BSc", 7: "MSc", 8: "PhD"}


def _levels_for(rng: random.Random, min_level: int) -> list[int]:
    """The sequence of degrees a person holds, ending at their highest."""
    if min_level <= 4:
        top = rng.choices((min_level, 5, 6), weights=(6, 2, 2))[0]
        return [top] if top < 6 else [6]
    if min_level == 6:
        top = rng.choices((6, 7, 8), weights=(45, 40, 15))[0]
    elif min_level == 7:
        top = rng.choices((7, 8), weights=(65, 35))[0]
    else:
        top = 8
    return list(range(6, top + 1))


@dataclass
class _Career:
    born: date
    education: list[dict[str, Any]]
    jobs: list[dict[str, Any]]
    years_after_study: float
    top_level: int
    phd_year: int | None


def _employer(rng: random.Random, country: str, occupation: catalogue.Occupation) -> str:
    if occupation.isco08 in ("2310",):
        return rng.choice(catalogue.UNIVERSITIES.get(country, ("National University",)))
    return rng.choice(_EMPLOYER_PATTERNS).format(country=_COUNTRY[country][0])


def _career(rng: random.Random, origin: Origin, occupation: catalogue.Occupation, as_of: date) -> _Career:
    levels = _levels_for(rng, occupation.min_level)
    field_code = rng.choice(occupation.field_codes)
    country = origin.country
    studied_abroad = rng.random() < 0.15
    # Ages in months from birth; school ends at 18 (vocational programmes start at 16).
    t = (16 if levels[0] <= 4 else 18) * 12 + rng.choice((0, 0, 0, 12))
    segments: list[tuple[str, int, int, int]] = []  # (kind, level, start, end)
    for i, level in enumerate(levels):
        low, high = _DEGREE_YEARS[level]
        length = rng.randint(low, high) * 12
        segments.append(("study", level, t, t + length))
        t += length
        if i + 1 < len(levels) and rng.random() < 0.35:
            gap = _months(rng, 1, 3)
            segments.append(("work", level, t + 2, t + gap))
            t += gap
    study_end = t
    after = _months(rng, 0.6, 1.0) + int(rng.expovariate(1 / 7.5) * 12)
    after = min(after, 35 * 12)
    age_months = study_end + after
    # Place birth so that the career ends on ``as_of`` (a random day in the birth month).
    end_total = as_of.year * 12 + as_of.month - 1 - age_months
    born = date(end_total // 12, end_total % 12 + 1, rng.randint(1, 28))

    education: list[dict[str, Any]] = []
    for kind, level, _start, end in segments:
        if kind != "study":
            continue
        study_country = country
        if studied_abroad and level >= 7:
            study_country = rng.choice(("RU", "CN", "DE", "FR", "IN", "TR", "KR"))
        institutions = catalogue.UNIVERSITIES.get(study_country, ("National University",))
        field_name, stem = catalogue.FIELDS_OF_STUDY[field_code]
        graduated = _at_age(born, end)
        education.append(
            {
                "level": level,
                "field_code": field_code,
                "field_name": field_name,
                "degree_title": f"{_DEGREE_TITLE[level]} {stem}"
                if level >= 5
                else f"{_DEGREE_TITLE[level]} ({field_name})",
                "institution": rng.choice(institutions),
                "country": study_country,
                "graduation_year": graduated.year if graduated <= as_of else None,
                "verified": rng.random() < 0.4,
            }
        )
    jobs: list[dict[str, Any]] = []
    for kind, _level, start, end in segments:
        if kind == "work":
            jobs.append(_job(rng, country, occupation, born, start, end, junior=True))
    # After the last degree: one to four jobs filling the time, the last one current (mostly).
    start = study_end + rng.randint(1, 6)
    remaining = age_months - start
    n_jobs = 1 if remaining < 36 else rng.randint(1, min(4, 1 + remaining // 48))
    cuts = sorted(rng.sample(range(6, max(remaining, 7)), k=min(n_jobs - 1, max(remaining - 7, 0))))
    bounds = [start, *[start + c for c in cuts], age_months]
    abroad = rng.random() < 0.2
    for j in range(len(bounds) - 1):
        last = j == len(bounds) - 2
        job_country = rng.choice(("RU", "AE", "CN", "DE", "IN")) if abroad and last and j > 0 else country
        job_end = None if last and rng.random() < 0.85 else bounds[j + 1] - rng.randint(0, 2)
        jobs.append(_job(rng, job_country, occupation, born, bounds[j], job_end, junior=j == 0 and len(bounds) > 2))
    if jobs and jobs[-1]["start_date"] > as_of:
        jobs.pop()
    phd = next((e["graduation_year"] for e in education if e["level"] == 8), None)
    return _Career(born, education, jobs, after / 12, levels[-1], phd)


def _job(
    rng: random.Random,
    country: str,
    occupation: catalogue.Occupation,
    born: date,
    start: int,
    end: int | None,
    *,
    junior: bool,
) -> dict[str, Any]:
    title = ("Junior " + occupation.title.lower()) if junior and occupation.isco08.startswith("2") else occupation.title
    start_date = _at_age(born, start)
    end_date = None if end is None else max(start_date, _at_age(born, end) - timedelta(days=1))
    return {
        "title": title,
        "isco08_code": occupation.isco08,
        "employer": _employer(rng, country, occupation),
        "sector": rng.choice(occupation.sectors),
        "country": country,
        "start_date": start_date,
        "end_date": end_date,
        "hours_per_week": 40.0 if rng.random() < 0.93 else float(rng.choice((20, 30, 35))),
    }


_LEVELS = ("basic", "intermediate", "advanced", "expert")


def _skills(rng: random.Random, occupation: catalogue.Occupation, years: float) -> list[dict[str, Any]]:
    own = list(occupation.skills)
    rng.shuffle(own)
    chosen = own[: rng.randint(max(2, len(own) - 2), len(own))]
    extra = rng.sample(catalogue.SKILLS, k=rng.randint(0, 3))
    seen: set[str] = set()
    skills = []
    top = 3 if years >= 8 else 2 if years >= 3 else 1
    for phrase in [*chosen, *extra]:
        if phrase in seen:
            continue
        seen.add(phrase)
        level = _LEVELS[max(0, top - rng.randint(0, 1))] if phrase in occupation.skills else rng.choice(_LEVELS[:3])
        skills.append({"phrase": phrase, "level": level})
    return skills


_TOPIC_WORDS = (
    (
        "Low-thrust",
        "Adaptive",
        "Robust",
        "Multi-objective",
        "Data-driven",
        "High-fidelity",
        "Reduced-order",
        "Autonomous",
    ),
    (
        "trajectory optimisation",
        "attitude control",
        "combustion instability",
        "thermal modelling",
        "SAR interferometry",
        "GNSS multipath mitigation",
        "plasma plume modelling",
        "radiation shielding",
        "composite fatigue",
        "link budget design",
        "image classification",
        "orbit determination",
        "reactor neutronics",
        "life support regeneration",
    ),
    (
        "small satellites",
        "reusable launch vehicles",
        "lunar missions",
        "Earth observation constellations",
        "geostationary relays",
        "crewed spacecraft",
        "deep-space probes",
        "nuclear electric propulsion",
    ),
)
_VENUES = (
    "Acta Astronautica",
    "Advances in Space Research",
    "Journal of Guidance, Control, and Dynamics",
    "Remote Sensing",
    "Cosmic Research",
    "Journal of Propulsion and Power",
    "Proceedings of the International Astronautical Congress",
    "IEEE Transactions on Aerospace and Electronic Systems",
    "Physics of Plasmas",
    "Nuclear Engineering and Design",
)


def _publications(
    rng: random.Random, career: _Career, index: int, as_of: date
) -> tuple[list[dict[str, Any]], int | None]:
    research = career.top_level >= 8 or (career.top_level == 7 and rng.random() < 0.25)
    if not research:
        return [], None
    first_year = (career.phd_year or as_of.year) - (3 if career.phd_year else 1)
    first_year = max(first_year, career.born.year + 21)
    years = max(1, as_of.year - first_year + 1)
    count = max(1, int(rng.gammavariate(2.0, years * 0.9)))
    shown = min(count, 6)
    pubs = []
    for k in range(shown):
        year = rng.randint(first_year, as_of.year)
        title = f"{rng.choice(_TOPIC_WORDS[0])} {rng.choice(_TOPIC_WORDS[1])} for {rng.choice(_TOPIC_WORDS[2])}"
        # 10.5555 is the DOI prefix reserved for examples and tests, so these resolve nowhere.
        pubs.append(
            {
                "title": title,
                "year": year,
                "venue": rng.choice(_VENUES),
                "doi": f"10.5555/demo.{index}.{k}",
                "peer_reviewed": rng.random() < 0.85,
            }
        )
    h_index = min(count, int(math.sqrt(count) * rng.uniform(0.8, 1.6)))
    return sorted(pubs, key=lambda p: p["year"]), h_index


def _patents(rng: random.Random, career: _Career, country: str, as_of: date) -> list[dict[str, Any]]:
    if career.years_after_study < 5 or rng.random() > 0.08:
        return []
    patents = []
    for _ in range(rng.randint(1, 3)):
        year = rng.randint(as_of.year - int(career.years_after_study) + 2, as_of.year)
        office = rng.choice((country, country, "WO", "EA" if country in ("RU", "KZ", "BY", "AM", "AZ", "KG") else "EP"))
        status = "granted" if year < as_of.year - 1 and rng.random() < 0.7 else "filed"
        topic = rng.choice(_TOPIC_WORDS[1])
        patents.append(
            {
                "title": f"Device and method for {topic}",
                "number": f"{office}{rng.randint(100000, 2999999)}",
                "office": office,
                "year": year,
                "status": status,
            }
        )
    return patents


_ACHIEVEMENTS = (
    ("science_technology", "international", "Gold medal, International Physics Olympiad", 17),
    ("science_technology", "international", "Silver medal, International Mathematical Olympiad", 17),
    ("science_technology", "national", "National prize for young scientists", 28),
    ("science_technology", "international", "Best paper award, International Astronautical Congress", 30),
    ("science_technology", "regional", "Regional engineering innovation award", 30),
    ("education", "national", "Winner, national student olympiad in mathematics", 20),
    ("education", "international", "Finalist, international student satellite design competition", 21),
    ("sport", "national", "National champion in rowing", 22),
    ("sport", "international", "Bronze medal, world university games (athletics)", 21),
    ("creative_industries", "international", "Prize at an international science film festival", 27),
    ("culture_humanitarian", "national", "Medal for volunteer work in science outreach", 25),
)


def _achievements(rng: random.Random, born: date, as_of: date) -> list[dict[str, Any]]:
    if rng.random() > 0.15:
        return []
    kind, level, title, typical_age = rng.choice(_ACHIEVEMENTS)
    year = born.year + typical_age + rng.randint(-1, 3)
    if year > as_of.year:
        year = as_of.year
    return [
        {"field": kind, "level": level, "title": title, "year": year, "evidence": "Certificate held by the candidate"}
    ]


def _salary_offers(rng: random.Random, as_of: date, years: float) -> list[dict[str, Any]]:
    if rng.random() > 0.3:
        return []
    seniority = 1 + min(years, 25) / 10
    offered_on = as_of - timedelta(days=rng.randint(5, 300))
    roll = rng.random()
    if roll < 0.5:
        amount, currency, period, employer = (
            round(rng.uniform(150_000, 320_000) * seniority, -3),
            "RUB",
            "month",
            "a Russian space company",
        )
    elif roll < 0.8:
        amount, currency, period, employer = (
            round(rng.uniform(28_000, 70_000) * seniority, -2),
            "USD",
            "year",
            "an aerospace firm abroad",
        )
    else:
        amount, currency, period, employer = (
            round(rng.uniform(30_000, 60_000) * seniority, -2),
            "EUR",
            "year",
            "a European research centre",
        )
    return [
        {
            "amount": f"{amount:.2f}",
            "currency": currency,
            "period": period,
            "employer": employer,
            "offered_on": offered_on,
        }
    ]


def _family(
    rng: random.Random, names: NameMaker, origin: Origin, sex: str, born: date, as_of: date, family_latin: str
) -> list[dict[str, Any]]:
    age = (as_of - born).days / 365.25
    members: list[dict[str, Any]] = []
    if age < 24 or rng.random() > min(0.75, (age - 22) / 15):
        return members
    partner_sex = "male" if sex == "female" else "female"
    partner_origin = origin if rng.random() < 0.85 else rng.choices(ORIGINS, weights=_ORIGIN_WEIGHTS)[0]
    partner_name = names.make(partner_origin, partner_sex, rng)
    partner_born = _at_age(born, rng.randint(-60, 60)) + timedelta(days=rng.randint(0, 27))
    partner_age = (as_of - partner_born).days / 365.25
    partner: dict[str, Any] = {
        "relation": "spouse" if rng.random() < 0.85 else "partner",
        "given_names_latin": partner_name.given_latin,
        "family_name_latin": partner_name.family_latin,
        "date_of_birth": partner_born,
        "citizenships": [partner_origin.country],
    }
    if partner_age >= 23 and rng.random() < 0.7:
        grad = partner_born.year + rng.randint(22, 24)
        if grad <= as_of.year:
            field_code = rng.choice(("0413", "0912", "0613", "0531", "0541"))
            partner["education"] = [
                {
                    "level": 6,
                    "field_code": field_code,
                    "field_name": catalogue.FIELDS_OF_STUDY[field_code][0],
                    "institution": rng.choice(
                        catalogue.UNIVERSITIES.get(partner_origin.country, ("National University",))
                    ),
                    "country": partner_origin.country,
                    "graduation_year": grad,
                }
            ]
            if grad + 1 < as_of.year and rng.random() < 0.7:
                partner["work_history"] = [
                    {
                        "title": rng.choice(("Accountant", "Physician", "Software developer", "Chemist", "Teacher")),
                        "isco08_code": rng.choice(("2411", "2211", "2512", "2113", "2330")),
                        "employer": rng.choice(_EMPLOYER_PATTERNS).format(
                            country=_COUNTRY.get(partner_origin.country, ("National", ""))[0]
                        ),
                        "country": partner_origin.country,
                        "start_date": date(grad + 1, rng.randint(1, 12), 1),
                    }
                ]
    if partner_age >= 18 and rng.random() < 0.25:
        partner["language_tests"] = [_ielts(rng, as_of - timedelta(days=rng.randint(30, 900)), rng.uniform(5.0, 7.5))]
    members.append(partner)
    n_children = rng.choices((0, 1, 2, 3), weights=(30, 35, 28, 7))[0]
    for _ in range(n_children):
        child_born = _at_age(born, rng.randint(25 * 12, 40 * 12)) + timedelta(days=rng.randint(0, 27))
        if child_born >= as_of:
            continue
        child_name = names.make(origin, rng.choice(("female", "male")), rng)
        members.append(
            {
                "relation": "child",
                "given_names_latin": child_name.given_latin,
                "family_name_latin": family_latin,
                "date_of_birth": child_born,
                "citizenships": [origin.country],
            }
        )
    return members


def _consents(rng: random.Random, as_of: date) -> list[dict[str, Any]]:
    consents: list[dict[str, Any]] = []
    for purpose, share in (("matched_hosts", 0.9), ("authority_handoff", 0.7), ("anonymised_analytics", 0.6)):
        if rng.random() > share:
            continue
        given = datetime(as_of.year, as_of.month, as_of.day, 12, tzinfo=UTC) - timedelta(
            days=rng.randint(60, 700), minutes=rng.randint(0, 600)
        )
        if rng.random() < 0.06:
            withdrawn = given + timedelta(days=rng.randint(1, 25))
            consents.append({"purpose": purpose, "version": "1.0", "given_at": given, "withdrawn_at": withdrawn})
            if rng.random() < 0.5:
                consents.append(
                    {"purpose": purpose, "version": "1.1", "given_at": withdrawn + timedelta(days=rng.randint(1, 20))}
                )
        else:
            consents.append({"purpose": purpose, "version": rng.choice(("1.0", "1.1"))})
            consents[-1]["given_at"] = given
    return consents


def _documents(
    rng: random.Random, education: list[dict[str, Any]], tests: list[dict[str, Any]], as_of: date
) -> list[dict[str, Any]]:
    def status() -> dict[str, Any]:
        roll = rng.random()
        if roll < 0.5:
            return {"status": "verified"}
        if roll < 0.95:
            return {"status": "pending"}
        return {
            "status": "rejected",
            "rejection_reason": rng.choice(("Scan unreadable", "Name does not match the passport", "Document expired")),
        }

    docs: list[dict[str, Any]] = [
        {"kind": "passport", "file_name": "passport.pdf", **status()},
        {"kind": "cv", "file_name": "cv.pdf", **status()},
    ]
    for k, degree in enumerate(education):
        if degree["graduation_year"] is not None:
            docs.append(
                {
                    "kind": "diploma",
                    "file_name": f"diploma-{k + 1}.pdf",
                    "issued_on": min(date(degree["graduation_year"], 7, 1), as_of),
                    **status(),
                }
            )
    for k, test in enumerate(tests):
        if test["test"] != "cefr_self":
            issued = test["test_date"] + timedelta(days=14)
            docs.append(
                {
                    "kind": "language_certificate",
                    "file_name": f"{test['test']}-{k + 1}.pdf",
                    "issued_on": min(issued, as_of),
                    **status(),
                }
            )
    return docs


def _earlier_cohort_days(rng: random.Random) -> int:
    """How much earlier a matched candidate of an earlier cohort applied (0 for the current cohort), so the
    demo's relocation cases reach every stage up to the 12-month follow-up. Drawn from a copy of ``rng``:
    every other value generated for the candidate stays as it was."""
    shadow = random.Random()  # nosec B311  # demo data, reproducible by seed
    shadow.setstate(rng.getstate())
    shadow.seed(shadow.getrandbits(64) ^ 0x5EEDCA5E)
    return 0 if shadow.random() < 0.35 else shadow.randint(30, 900)


def _application(rng: random.Random, sector: str, as_of: date, *, showcase: bool = False) -> ApplicationPlan | None:
    """The application and its path; ``showcase`` (the demo candidate's own) is matched with an open offer."""
    if rng.random() > 0.85 and not showcase:
        return None
    status = rng.choices([s for s, _ in _STATUS_SHARES], weights=[w for _, w in _STATUS_SHARES])[0]
    if showcase:
        status = "matched"
    now = datetime(as_of.year, as_of.month, as_of.day, 18, tzinfo=UTC)
    if status == "rejected":
        stop = rng.choice(("submitted", "screening", "screening", "assessed", "invited"))
    elif status == "withdrawn":
        stop = rng.choice(("draft", "submitted", "screening", "assessed", "invited"))
    else:
        stop = status
    forward = _FORWARD[: _ORDER.index(stop)]
    gaps = [rng.randint(*days) for *_, days in forward]
    tail = rng.randint(1, 40) if status in ("rejected", "withdrawn") else 0
    total = sum(gaps) + tail + rng.randint(12, 60)
    if status == "matched" and not showcase:
        total += _earlier_cohort_days(rng)
    created = now - timedelta(days=total, hours=rng.randint(0, 9), minutes=rng.randint(0, 59))
    at = created
    steps: list[StepPlan] = []
    for (name, src, dst, by, _), gap in zip(forward, gaps, strict=True):
        at = at + timedelta(days=gap, hours=rng.randint(0, 8), minutes=rng.randint(0, 59))
        if by == "supervisor" and rng.random() < 0.6:
            by = "officer"
        steps.append(StepPlan(name, src, dst, at, by))
    if status == "rejected":
        at = at + timedelta(days=tail, hours=rng.randint(0, 8))
        reason = rng.choice(
            (
                "Documents incomplete after two requests",
                "Below the programme's merit threshold",
                "Occupation outside the priority sectors",
            )
        )
        steps.append(StepPlan("reject", stop, "rejected", at, "officer", reason))
    elif status == "withdrawn":
        at = at + timedelta(days=tail, hours=rng.randint(0, 8))
        steps.append(
            StepPlan(
                "withdraw",
                stop,
                "withdrawn",
                at,
                "candidate",
                rng.choice(("Accepted another offer", "Family reasons", "")),
            )
        )
    offer = None
    if status == "matched":
        made = at + timedelta(days=rng.randint(1, 10))
        if showcase:
            made = now - timedelta(days=2)
        expires = made + timedelta(days=30)
        roll = rng.random()
        offer_status, decided = "offered", None
        if expires < now:
            offer_status, decided = (
                ("accepted", made + timedelta(days=rng.randint(1, 20)))
                if roll < 0.7
                else ("declined", made + timedelta(days=rng.randint(1, 20)))
                if roll < 0.85
                else ("lapsed", expires)
            )
        elif roll < 0.4 and made + timedelta(days=2) < now and not showcase:
            offer_status, decided = "accepted", made + timedelta(days=1)
        offer = OfferPlan(
            offer_status, made, expires, decided, int(round(rng.uniform(180_000, 600_000), -3)), rng.getrandbits(30)
        )
    return ApplicationPlan(sector, created, status, tuple(steps), offer)


def _email(name: PersonName, index: int) -> str:
    local = f"{_slug(name.given_latin)}.{_slug(name.family_latin)}" if name.family_latin else _slug(name.given_latin)
    return f"{local[:40]}.{index}@mail.example"


def _phone(rng: random.Random, country: str) -> str:
    code = _COUNTRY[country][1]
    digits = 10 if len(code) <= 2 else 9
    return f"+{code}{rng.randint(10 ** (digits - 1), 10**digits - 1)}"


def make_candidate(index: int, *, seed: int, as_of: date, names: NameMaker | None = None) -> DemoCandidate:
    """Candidate ``index`` of the demo pool for ``seed`` as of ``as_of`` (a pure function of the three)."""
    rng = _rng(seed, index)
    names = names or NameMaker()
    origin = rng.choices(ORIGINS, weights=_ORIGIN_WEIGHTS)[0]
    sex = "female" if rng.random() < 0.36 else "male"
    name = names.make(origin, sex, rng)
    occupation = rng.choices(catalogue.OCCUPATIONS, weights=_OCCUPATION_WEIGHTS)[0]
    career = _career(rng, origin, occupation, as_of)
    tests = _language_tests(rng, origin, career.born, as_of, career.top_level)
    pubs, h_index = _publications(rng, career, index, as_of)
    citizenships = [origin.country]
    if rng.random() < 0.04:
        citizenships.append(rng.choice([c for c in ("RU", "TR", "DE", "AE") if c != origin.country]))
    residence = career.jobs[-1]["country"] if career.jobs and career.jobs[-1]["end_date"] is None else origin.country
    issued = as_of - timedelta(days=rng.randint(30, 9 * 365))
    identity: dict[str, Any] = {
        "given_names_latin": name.given_latin,
        "family_name_latin": name.family_latin,
        "given_names_native": name.given_native if name.script != "Latn" else "",
        "family_name_native": name.family_native if name.script != "Latn" else "",
        "date_of_birth": career.born,
        "sex": sex,
        "citizenships": citizenships,
        "residence_country": residence,
        "email": _email(name, index),
        "phone": _phone(rng, origin.country),
    }
    profile: dict[str, Any] = {
        "format_version": 1,
        "id": candidate_id(index),
        "identity": identity,
        "identity_documents": [
            {
                "kind": "passport",
                "number": f"{rng.choice('ABCDEFGHJKLMNPRSTUVWXYZ')}{rng.randint(10_000_000, 99_999_999)}",
                "issuing_country": origin.country,
                "issued_on": issued,
                "expires_on": issued + timedelta(days=10 * 365),
            }
        ],
        "education": career.education,
        "work_history": career.jobs,
        "skills": _skills(rng, occupation, career.years_after_study),
        "language_tests": tests,
        "publications": pubs,
        "patents": _patents(rng, career, origin.country, as_of),
        "h_index": h_index,
        "achievements": _achievements(rng, career.born, as_of),
        "salary_offers": _salary_offers(rng, as_of, career.years_after_study),
        "family": _family(rng, names, origin, sex, career.born, as_of, name.family_latin),
        "documents": _documents(rng, career.education, tests, as_of),
        "consents": _consents(rng, as_of),
        "extensions": {"script": name.script, "mother_tongue": origin.language},
    }
    if name.patronymic_native:
        profile["extensions"]["patronymic_native"] = name.patronymic_native
        profile["extensions"]["patronymic_latin"] = name.patronymic_latin
    sector = rng.choice(occupation.sectors)
    application = _application(rng, sector, as_of, showcase=index == SHOWCASE_INDEX)
    return DemoCandidate(index, profile, identity["email"], application, origin.country)


def generate_candidates(
    count: int, *, seed: int = 1, as_of: date | None = None, start: int = 0
) -> Iterator[DemoCandidate]:
    """Candidates ``start`` .. ``start + count - 1`` of the demo pool, in order."""
    as_of = as_of or date.today()
    names = NameMaker()
    for index in range(start, start + count):
        yield make_candidate(index, seed=seed, as_of=as_of, names=names)


# ------------------------------------------------------------------------------ hosts

_KIND_BY_ORG = {
    "university": ("fellowship", "exchange_slot", "position"),
    "research_institute": ("position", "fellowship", "position"),
    "megascience_facility": ("facility_collaboration", "position", "fellowship"),
}


def _sector_matches(sector: str, host_sector: str) -> bool:
    return sector == host_sector or sector.startswith(host_sector + ".")


def generate_opportunities(candidates: int, *, seed: int = 1, as_of: date | None = None) -> list[OpportunitySpec]:
    """Opportunities of the demo hosts: about one per 25 candidates (40 at least, 20,000 at most)."""
    as_of = as_of or date.today()
    rng = _rng(seed, 0, salt=1)
    total = max(40, min(20_000, candidates // 25))
    hosts = catalogue.HOST_ORGANISATIONS
    specs: list[OpportunitySpec] = []
    now = datetime(as_of.year, as_of.month, as_of.day, 9, tzinfo=UTC)
    for k in range(total):
        host = hosts[k % len(hosts)]
        fitting = [o for o in catalogue.OCCUPATIONS if any(_sector_matches(s, host.sector) for s in o.sectors)]
        occupation = rng.choice(fitting)
        sector = rng.choice([s for s in occupation.sectors if _sector_matches(s, host.sector)])
        kind = rng.choice(_KIND_BY_ORG.get(host.kind, ("position",)))
        title = {
            "fellowship": f"Research fellowship: {occupation.title.lower()}",
            "exchange_slot": f"Academic mobility slot: {occupation.title.lower()}",
            "facility_collaboration": f"Facility collaboration: {occupation.title.lower()}",
        }.get(kind, ("Senior " if rng.random() < 0.3 else "") + occupation.title)
        roll = rng.random()
        status = "published" if roll < 0.75 else "draft" if roll < 0.88 else "closed"
        if k < len(hosts):
            status = "published"  # every host has at least one open opportunity to show
        deadline = as_of + timedelta(days=rng.randint(15, 150))
        published_at = now - timedelta(days=rng.randint(1, 200)) if status != "draft" else None
        if status == "closed":
            deadline = as_of - timedelta(days=rng.randint(1, 90))
        start = deadline + timedelta(days=rng.randint(30, 120))
        level = max(
            occupation.min_level,
            6
            if kind in ("fellowship", "facility_collaboration") and occupation.min_level >= 6
            else occupation.min_level,
        )
        low = int(round(rng.uniform(140_000, 380_000), -4))
        languages: tuple[tuple[str, str], ...] = (("ru", rng.choice(("A2", "B1", "B2"))),)
        if kind != "position" or rng.random() < 0.6:
            languages = (*languages, ("en", rng.choice(("B1", "B2", "C1"))))
        skills = tuple(rng.sample(occupation.skills, k=min(len(occupation.skills), rng.randint(2, 4))))
        specs.append(
            OpportunitySpec(
                host=host.slug,
                title=title,
                kind=kind,
                sector=sector,
                description=f"{title} at {host.name}, {host.city}. Relocation support by the programme.",
                isco08=occupation.isco08,
                skills=skills,
                languages=languages,
                min_education_level=level,
                min_experience_years=rng.choice((0, 1, 2, 3, 5, 8)),
                capacity=rng.choices((1, 2, 3, 5, 10), weights=(40, 25, 15, 12, 8))[0],
                salary_min=low,
                salary_max=low + int(round(rng.uniform(40_000, 250_000), -4)),
                city=host.city,
                status=status,
                application_deadline=deadline,
                start_date=start,
                published_at=published_at,
            )
        )
    return specs
