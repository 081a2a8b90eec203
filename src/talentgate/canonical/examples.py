"""A complete, valid example of the canonical profile, every section filled: for docs, the schema and tests.

>>> from talentgate.canonical import CandidateProfile
>>> profile = CandidateProfile.model_validate(example_profile(3))
>>> profile.id, profile.language_tests[0].test.value, len(profile.family)
('example-0003', 'ielts_general', 2)
"""

from __future__ import annotations

from typing import Any

__all__ = ["example_profile"]


def example_profile(index: int = 0) -> dict[str, Any]:
    """The example profile number ``index`` as JSON-ready data (ids, names and numbers vary with ``index``)."""
    n = index
    born_year = 1980 + n % 15
    return {
        "format_version": 1,
        "id": f"example-{n:04d}",
        "identity": {
            "given_names_latin": f"Aigerim{n}",
            "family_name_latin": "Seitkali",
            "given_names_native": "Айгерим",
            "family_name_native": "Сейткали",
            "date_of_birth": f"{born_year}-05-17",
            "sex": ("female", "male", "unspecified")[n % 3],
            "citizenships": ["KZ", "RU"] if n % 2 else ["KZ"],
            "residence_country": "KZ",
            "email": f"candidate{n}@example.test",
            "phone": f"+7701{n:07d}",
        },
        "identity_documents": [
            {
                "kind": "passport",
                "number": f"N{n:08d}",
                "issuing_country": "KZ",
                "issued_on": "2020-01-10",
                "expires_on": "2030-01-09",
            }
        ],
        "education": [
            {
                "level": 6,
                "field_code": "0716",
                "field_name": "Aerospace engineering",
                "degree_title": "BSc Aircraft and rocket engines",
                "institution": "Al-Farabi Kazakh National University",
                "country": "KZ",
                "graduation_year": born_year + 22,
                "verified": True,
            },
            {
                "level": 8,
                "field_name": "Propulsion",
                "institution": "Bauman Moscow State Technical University",
                "country": "RU",
            },
        ],
        "work_history": [
            {
                "title": "Rocket engine designer",
                "esco_occupation_uri": "http://data.europa.eu/esco/occupation/0a4bd2b4-0d0c-4b39-a5d5-6d0a4b3c4c1e",
                "isco08_code": "2144",
                "employer": "KazCosmos",
                "sector": "launch_vehicles",
                "country": "KZ",
                "start_date": f"{born_year + 23}-09-01",
                "end_date": f"{born_year + 28}-08-31",
                "hours_per_week": 40.0,
            },
            {
                "title": "Propulsion engineer",
                "isco08_code": "2144",
                "country": "RU",
                "start_date": f"{born_year + 28}-10-01",
                "hours_per_week": 37.5,
            },
        ],
        "skills": [
            {"phrase": "liquid rocket engines", "level": "expert"},
            {
                "phrase": "computational fluid dynamics",
                "esco_skill_uri": "http://data.europa.eu/esco/skill/5c8a9b2e-1f3d-4e6a-9b7c-2d4e6f8a0b1c",
                "level": "advanced",
            },
        ],
        "language_tests": [
            {
                "test": "ielts_general",
                "test_date": "2024-03-02",
                "language": "en",
                "listening": 8.0,
                "reading": 7.0,
                "writing": 6.5,
                "speaking": 7.0,
                "overall": 7.0,
                "level": None,
            },
            {"test": "torfl", "test_date": "2019-06-01", "language": "ru", "level": "C1"},
        ],
        "publications": [
            {
                "title": f"Combustion stability study {n}",
                "year": born_year + 27,
                "venue": "Acta Astronautica",
                "doi": f"10.1016/j.actaastro.{n}",
                "peer_reviewed": True,
            }
        ],
        "patents": [
            {"title": "Injector plate", "number": f"KZ{n}", "office": "KZ", "year": born_year + 30, "status": "granted"}
        ],
        "h_index": 4 + n % 7,
        "achievements": [
            {
                "field": "science_technology",
                "level": "national",
                "title": "Young engineer of the year",
                "year": born_year + 29,
                "evidence": "https://example.test/award",
            }
        ],
        "salary_offers": [
            {
                "amount": "85000.00",
                "currency": "EUR",
                "period": "year",
                "employer": "Orbital Works",
                "offered_on": "2025-02-01",
            }
        ],
        "family": [
            {
                "relation": "spouse",
                "given_names_latin": "Daniyar",
                "family_name_latin": "Seitkali",
                "date_of_birth": f"{born_year - 1}-02-03",
                "citizenships": ["KZ"],
                "education": [
                    {
                        "level": 7,
                        "field_code": "01",
                        "institution": "KazNPU",
                        "country": "KZ",
                        "graduation_year": born_year + 23,
                    }
                ],
                "language_tests": [{"test": "cefr_self", "test_date": "2024-01-01", "language": "en", "level": "B2"}],
                "work_history": [
                    {
                        "title": "Teacher",
                        "isco08_code": "2330",
                        "country": "KZ",
                        "start_date": f"{born_year + 23}-09-01",
                    }
                ],
            },
            {
                "relation": "child",
                "given_names_latin": "Alia",
                "date_of_birth": f"{born_year + 30}-07-07",
                "citizenships": ["KZ"],
            },
        ],
        "documents": [
            {
                "kind": "passport",
                "file_name": "passport.pdf",
                "issued_on": "2020-01-10",
                "expires_on": "2030-01-09",
                "status": "verified",
            },
            {"kind": "diploma", "file_name": "diploma.pdf", "status": "rejected", "rejection_reason": "Illegible scan"},
        ],
        "consents": [
            {
                "purpose": "matched_hosts",
                "version": "1",
                "given_at": "2025-01-01T10:00:00Z",
                "withdrawn_at": "2025-02-01T10:00:00Z",
            },
            {"purpose": "matched_hosts", "version": "2", "given_at": "2025-02-01T10:00:00Z"},
            {"purpose": "anonymised_analytics", "version": "1", "given_at": "2025-01-01T10:00:00Z"},
        ],
        "extensions": {"provincial_nomination": False, "relatives_in_destination": n % 2 == 0},
    }
