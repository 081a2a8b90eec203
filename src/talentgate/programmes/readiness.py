"""What a candidate profile must hold before its application may be submitted, and screened before it is assessed.

The conditions, chosen for a programme that ends in a hand-off to the immigration authority:

- identity: given names in Latin script and a date of birth (what every policy and the
  authority need to tell people apart);
- at least one education entry and at least one language test result (the minimum any
  merit policy scores; a policy may ask for more, which the assessment reports);
- an active (not withdrawn) consent for the purpose ``authority_handoff``, since a
  successful application ends with the case handed to the authority;
- before an officer marks an application assessed: no document of the profile is still
  pending verification (verified or rejected documents both count as screened).

Each function takes the application and reads the profile through its related tables
(``education``, ``language_tests``, ``consents``, ``documents`` of ``candidates.Profile``).
"""

from __future__ import annotations

from typing import Any

from talentgate.canonical import ConsentPurpose, VerificationStatus

AUTHORITY_HANDOFF = ConsentPurpose.AUTHORITY_HANDOFF.value


def has_identity(application: Any) -> bool:
    profile = application.profile
    return bool(profile.given_names_latin.strip() and profile.date_of_birth)


def has_education(application: Any) -> bool:
    return bool(application.profile.education.exists())


def has_language_test(application: Any) -> bool:
    return bool(application.profile.language_tests.exists())


def has_authority_handoff_consent(application: Any) -> bool:
    return bool(application.profile.consents.filter(purpose=AUTHORITY_HANDOFF, withdrawn_at__isnull=True).exists())


def documents_screened(application: Any) -> bool:
    return not application.profile.documents.filter(status=VerificationStatus.PENDING.value).exists()
