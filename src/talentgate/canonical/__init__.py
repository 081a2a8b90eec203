"""The canonical candidate profile format, framework-free (pydantic only, no Django).

Import/export, the demo generator, the API and the rules engine all read this format:

>>> from talentgate.canonical import CandidateProfile
>>> p = CandidateProfile.model_validate({"id": "c-1", "identity": {
...     "given_names_latin": "Lin", "family_name_latin": "Wei", "date_of_birth": "1992-02-29",
...     "sex": "male", "citizenships": ["CN"]}})
>>> p.model_dump(mode="json")["identity"]["citizenships"]
['CN']
"""

from talentgate.canonical.codes import (
    ISCED_2011_LEVELS,
    ISCED_F_2013_BROAD_FIELDS,
    CountryCode,
    CurrencyCode,
    LanguageCode,
)
from talentgate.canonical.language_tests import (
    CEFR_LEVELS,
    SKILLS,
    TEST_SPECS,
    LanguageTest,
    Scale,
    TestSpec,
    ielts_overall_band,
)
from talentgate.canonical.profile import (
    FORMAT_VERSION,
    MIN_WORKING_AGE_YEARS,
    Achievement,
    AchievementField,
    AchievementLevel,
    CandidateProfile,
    Consent,
    ConsentPurpose,
    DocumentKind,
    DocumentMeta,
    Education,
    Employment,
    FamilyMember,
    FamilyRelation,
    Identity,
    IdentityDocument,
    IdentityDocumentKind,
    LanguageTestResult,
    Patent,
    PatentStatus,
    Publication,
    SalaryOffer,
    SalaryPeriod,
    Sex,
    Skill,
    SkillLevel,
    VerificationStatus,
    profile_json_schema,
)

__all__ = [
    "CEFR_LEVELS",
    "FORMAT_VERSION",
    "ISCED_2011_LEVELS",
    "ISCED_F_2013_BROAD_FIELDS",
    "MIN_WORKING_AGE_YEARS",
    "SKILLS",
    "TEST_SPECS",
    "Achievement",
    "AchievementField",
    "AchievementLevel",
    "CandidateProfile",
    "Consent",
    "ConsentPurpose",
    "CountryCode",
    "CurrencyCode",
    "DocumentKind",
    "DocumentMeta",
    "Education",
    "Employment",
    "FamilyMember",
    "FamilyRelation",
    "Identity",
    "IdentityDocument",
    "IdentityDocumentKind",
    "LanguageCode",
    "LanguageTest",
    "LanguageTestResult",
    "Patent",
    "PatentStatus",
    "Publication",
    "SalaryOffer",
    "SalaryPeriod",
    "Scale",
    "Sex",
    "Skill",
    "SkillLevel",
    "TestSpec",
    "VerificationStatus",
    "ielts_overall_band",
    "profile_json_schema",
]
