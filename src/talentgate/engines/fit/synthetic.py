"""Random pools of candidates and opportunities for tests and benchmarks (seeded, reproducible)."""

from __future__ import annotations

import datetime as dt

import numpy as np

from talentgate.engines.fit.model import CandidateProfile, Opportunity

__all__ = ["random_pool"]

_LANGUAGES = ("ru", "en", "de", "fr", "zh", "ar")
_DEGREES = (0, 3, 5, 6, 7, 8)


def random_pool(
    n_candidates: int, n_opportunities: int, n_skills: int = 2000, n_occupations: int = 300, seed: int = 0
) -> tuple[list[CandidateProfile], list[Opportunity]]:
    """Candidates with 5-15 skills and opportunities with 3-9 required skills, drawn with popular skills likelier."""
    rng = np.random.default_rng(seed)
    # Zipf-like popularity: a few skills are common, most are rare, as in real profiles.
    popularity = 1.0 / np.arange(1, n_skills + 1) ** 0.8
    popularity /= popularity.sum()
    base = dt.date(2026, 1, 1)

    def skills(count: int) -> tuple[str, ...]:
        return tuple(f"s{i}" for i in rng.choice(n_skills, size=count, replace=False, p=popularity))

    candidates = []
    for i in range(n_candidates):
        languages = {
            code: int(rng.integers(1, 7))
            for code in rng.choice(_LANGUAGES, size=int(rng.integers(1, 4)), replace=False)
        }
        candidates.append(
            CandidateProfile(
                id=f"c{i}",
                occupations=(f"o{int(rng.integers(n_occupations))}",),
                skills=skills(int(rng.integers(5, 16))),
                experience_years=float(rng.integers(0, 21)),
                languages=languages,
                degree_level=int(rng.choice(_DEGREES)),
                policy_score=float(rng.random()),
                available_from=base + dt.timedelta(days=int(rng.integers(0, 365))) if rng.random() < 0.5 else None,
            )
        )
    opportunities = []
    for j in range(n_opportunities):
        required_languages = {str(rng.choice(_LANGUAGES)): int(rng.integers(1, 5))} if rng.random() < 0.4 else {}
        opportunities.append(
            Opportunity(
                id=f"p{j}",
                occupations=(f"o{int(rng.integers(n_occupations))}",),
                required_skills=skills(int(rng.integers(3, 10))),
                optional_skills=skills(int(rng.integers(0, 5))),
                min_experience_years=float(rng.integers(0, 8)),
                required_languages=required_languages,
                min_degree_level=int(rng.choice((0, 0, 6, 7))),
                latest_start=base + dt.timedelta(days=int(rng.integers(60, 730))) if rng.random() < 0.7 else None,
                places_left=int(rng.integers(0, 4)) if rng.random() < 0.1 else int(rng.integers(1, 4)),
            )
        )
    return candidates, opportunities
