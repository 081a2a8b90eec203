"""Language tests as taken: which tests exist, their real score scales, and the check of one result.

Scales are transcribed from the issuers' published reporting grids, as compiled in
``shared/reference/language_tests.yaml`` (IELTS partners, Paragon/CELPIP, Pearson, CCI Paris
Île-de-France, France Éducation international, ETS, Goethe-Institut, telc, TestDaF-Institut,
ÖSD, the TORFL state system, Japan Foundation/JEES, Nihon Kanji Aptitude Testing Foundation
(BJT), Chinese Testing International). Converting a score to a CLB/NCLC or CEFR level is the
rules engine's job, not this module's.

>>> bands = {"listening": 9.5, "reading": 7.0, "writing": 6.5, "speaking": 7.0}
>>> scale_problems(LanguageTest.IELTS_GENERAL, date(2025, 3, 1), bands, None)
[('listening', 'score_out_of_scale', 'IELTS General Training listening must be 0-9 in steps of 0.5, not 9.5')]
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

__all__ = [
    "CEFR_LEVELS",
    "SKILLS",
    "TEST_SPECS",
    "LanguageTest",
    "Scale",
    "TestSpec",
    "ielts_overall_band",
    "scale_problems",
]

SKILLS = ("listening", "reading", "writing", "speaking")
CEFR_LEVELS = ("A1", "A2", "B1", "B2", "C1", "C2")


class LanguageTest(StrEnum):
    """Every test the profile records, by its stable code."""

    IELTS_GENERAL = "ielts_general"
    IELTS_ACADEMIC = "ielts_academic"
    CELPIP_GENERAL = "celpip_general"
    PTE_CORE = "pte_core"
    TEF_CANADA = "tef_canada"
    TCF_CANADA = "tcf_canada"
    TOEFL_IBT = "toefl_ibt"
    GOETHE = "goethe"
    TELC = "telc"
    TESTDAF = "testdaf"
    OSD = "osd"
    DELF_DALF = "delf_dalf"
    TORFL = "torfl"
    JLPT = "jlpt"
    BJT = "bjt"
    HSK = "hsk"
    CEFR_SELF = "cefr_self"


@dataclass(frozen=True)
class Scale:
    """A closed range on a reporting grid: ``Scale(0, 9, 0.5)`` is the IELTS band scale."""

    minimum: float
    maximum: float
    step: float = 1.0

    def contains(self, value: float) -> bool:
        if not (self.minimum <= value <= self.maximum):
            return False
        steps = (value - self.minimum) / self.step
        return math.isclose(steps, round(steps), abs_tol=1e-9)

    def describe(self) -> str:
        lo, hi = _num(self.minimum), _num(self.maximum)
        return f"{lo}-{hi}" if self.step == 1 else f"{lo}-{hi} in steps of {_num(self.step)}"


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


@dataclass(frozen=True)
class TestSpec:
    """How one test reports results.

    ``skills`` maps each skill the test scores to its scale (skills absent here may not be
    given); ``overall`` is the total/overall scale or ``None``; ``levels`` the level names a
    certificate states (``level_required``: the result is meaningless without one);
    ``all_skills_required``: the test always reports every skill in ``skills``.
    ``language`` is the tested language (ISO 639-1); ``language_fixed`` says no other may be given.
    ``dated_scales`` replace ``skills``/``overall`` for tests taken on or after a date.
    """

    name: str
    language: str | None
    skills: dict[str, Scale] = field(default_factory=dict)
    overall: Scale | None = None
    levels: tuple[str, ...] = ()
    level_required: bool = False
    all_skills_required: bool = False
    language_fixed: bool = True
    dated_scales: tuple[tuple[date, dict[str, Scale], Scale | None], ...] = ()
    note: str = ""

    def scales_on(self, taken_on: date) -> tuple[dict[str, Scale], Scale | None]:
        """The skill and overall scales in force for a test taken on ``taken_on``."""
        skills, overall = self.skills, self.overall
        for since, dated_skills, dated_overall in self.dated_scales:
            if taken_on >= since:
                skills, overall = dated_skills, dated_overall
        return skills, overall


def _same(scale: Scale, skills: tuple[str, ...] = SKILLS) -> dict[str, Scale]:
    return dict.fromkeys(skills, scale)


_IELTS_BAND = Scale(0, 9, 0.5)
_PERCENT = Scale(0, 100, 1)

TEST_SPECS: dict[LanguageTest, TestSpec] = {
    LanguageTest.IELTS_GENERAL: TestSpec(
        "IELTS General Training", "en", _same(_IELTS_BAND), _IELTS_BAND, all_skills_required=True
    ),
    LanguageTest.IELTS_ACADEMIC: TestSpec(
        "IELTS Academic", "en", _same(_IELTS_BAND), _IELTS_BAND, all_skills_required=True
    ),
    # CELPIP reports a level 1-12 per component and no overall score ("M" results are not recorded).
    LanguageTest.CELPIP_GENERAL: TestSpec("CELPIP-General", "en", _same(Scale(1, 12)), all_skills_required=True),
    LanguageTest.PTE_CORE: TestSpec("PTE Core", "en", _same(Scale(10, 90)), Scale(10, 90), all_skills_required=True),
    # TEF Canada certificates report 0-699 per test; the legacy scales (0-300/0-360/0-450) fit inside.
    LanguageTest.TEF_CANADA: TestSpec("TEF Canada", "fr", _same(Scale(0, 699)), all_skills_required=True),
    LanguageTest.TCF_CANADA: TestSpec(
        "TCF Canada",
        "fr",
        {"listening": Scale(0, 699), "reading": Scale(0, 699), "writing": Scale(0, 20), "speaking": Scale(0, 20)},
        all_skills_required=True,
    ),
    # ETS moved to 1-6 bands for tests from 2026-01-21; earlier results stay on 0-30 per section, 0-120 total.
    LanguageTest.TOEFL_IBT: TestSpec(
        "TOEFL iBT",
        "en",
        _same(Scale(0, 30)),
        Scale(0, 120),
        all_skills_required=True,
        dated_scales=((date(2026, 1, 21), _same(Scale(1, 6, 0.5)), Scale(1, 6, 0.5)),),
    ),
    LanguageTest.GOETHE: TestSpec(
        "Goethe-Zertifikat", "de", _same(_PERCENT), _PERCENT, levels=CEFR_LEVELS, level_required=True
    ),
    # telc also examines other languages; its certificates state the level passed.
    LanguageTest.TELC: TestSpec("telc", "de", levels=CEFR_LEVELS, level_required=True, language_fixed=False),
    LanguageTest.TESTDAF: TestSpec(
        "TestDaF",
        "de",
        _same(Scale(2, 5)),
        all_skills_required=True,
        note="Each part is a TestDaF level (TDN) 3, 4 or 5; 2 records 'unter TDN 3'.",
    ),
    LanguageTest.OSD: TestSpec("ÖSD Zertifikat", "de", levels=CEFR_LEVELS, level_required=True),
    LanguageTest.DELF_DALF: TestSpec(
        "DELF/DALF", "fr", _same(Scale(0, 25, 0.5)), Scale(0, 100, 0.5), levels=CEFR_LEVELS, level_required=True
    ),
    LanguageTest.TORFL: TestSpec(
        "TORFL (ТРКИ)",
        "ru",
        _same(_PERCENT),
        levels=CEFR_LEVELS,
        level_required=True,
        note="Subtest results are percentages; a level is passed at 66% in each subtest.",
    ),
    LanguageTest.JLPT: TestSpec(
        "JLPT",
        "ja",
        {"listening": Scale(0, 60), "reading": Scale(0, 60)},
        Scale(0, 180),
        levels=("N1", "N2", "N3", "N4", "N5"),
        level_required=True,
    ),
    LanguageTest.BJT: TestSpec(
        "BJT Business Japanese", "ja", overall=Scale(0, 800), levels=("J1+", "J1", "J2", "J3", "J4", "J5")
    ),
    LanguageTest.HSK: TestSpec(
        "HSK",
        "zh",
        _same(_PERCENT, ("listening", "reading", "writing")),
        Scale(0, 300),
        levels=tuple(f"HSK{n}" for n in range(1, 10)),
        level_required=True,
        note="HSK 1 and 2 total at most 200; speaking is the separate HSKK.",
    ),
    LanguageTest.CEFR_SELF: TestSpec(
        "CEFR self-assessment", None, levels=CEFR_LEVELS, level_required=True, language_fixed=False
    ),
}


def ielts_overall_band(listening: float, reading: float, writing: float, speaking: float) -> float:
    """The IELTS overall band: the mean of the four bands rounded to the nearest half band, ties up.

    >>> ielts_overall_band(6.5, 6.5, 5.0, 7.0)
    6.5
    >>> ielts_overall_band(6.5, 6.5, 5.5, 6.5)  # mean 6.25 rounds up
    6.5
    """
    mean = (listening + reading + writing + speaking) / 4
    return math.floor(mean * 2 + 0.5 + 1e-9) / 2


Problem = tuple[str, str, str]


def scale_problems(
    test: LanguageTest, taken_on: date, scores: dict[str, float | None], level: str | None
) -> list[Problem]:
    """Check one result against its test's scales; return ``(field, rule, message)`` per problem.

    ``scores`` maps ``listening``/``reading``/``writing``/``speaking``/``overall`` to a score or ``None``.
    """
    spec = TEST_SPECS[test]
    skill_scales, overall_scale = spec.scales_on(taken_on)
    problems: list[Problem] = []
    for skill in SKILLS:
        value = scores.get(skill)
        scale = skill_scales.get(skill)
        if value is None:
            if scale is not None and spec.all_skills_required:
                problems.append((skill, "score_missing", f"{spec.name} reports a {skill} score; give it"))
            continue
        if scale is None:
            problems.append(
                (skill, "score_not_reported", f"{spec.name} does not report a {skill} score; leave it empty")
            )
        elif not scale.contains(value):
            problems.append(
                (skill, "score_out_of_scale", f"{spec.name} {skill} must be {scale.describe()}, not {_num(value)}")
            )
    overall = scores.get("overall")
    if overall is not None:
        if overall_scale is None:
            problems.append(("overall", "score_not_reported", f"{spec.name} has no overall score; leave it empty"))
        elif not overall_scale.contains(overall):
            problems.append(
                (
                    "overall",
                    "score_out_of_scale",
                    f"{spec.name} overall must be {overall_scale.describe()}, not {_num(overall)}",
                )
            )
        elif test is LanguageTest.HSK and level in ("HSK1", "HSK2") and overall > 200:
            problems.append(("overall", "score_out_of_scale", f"{level} totals at most 200, not {_num(overall)}"))
    if level is None:
        if spec.level_required:
            problems.append(
                ("level", "level_missing", f"{spec.name} certifies a level; give one of {', '.join(spec.levels)}")
            )
    elif level not in spec.levels:
        allowed = ", ".join(spec.levels) if spec.levels else "none (leave it empty)"
        problems.append(("level", "level_not_in_scale", f"{spec.name} levels are {allowed}, not '{level}'"))
    has_any_score = any(scores.get(name) is not None for name in (*SKILLS, "overall"))
    if not has_any_score and level is None and not problems:
        problems.append(("", "result_empty", "give the scores or the level the test reported"))
    if test in (LanguageTest.IELTS_GENERAL, LanguageTest.IELTS_ACADEMIC) and overall is not None and not problems:
        bands = [scores.get(skill) for skill in SKILLS]
        if all(b is not None for b in bands):
            expected = ielts_overall_band(*bands)  # type: ignore[arg-type]
            if not math.isclose(expected, overall):
                problems.append(
                    (
                        "overall",
                        "overall_inconsistent",
                        f"IELTS overall band must be the rounded mean of the four bands ({_num(expected)}), not {_num(overall)}",
                    )
                )
    return problems
