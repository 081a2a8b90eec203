"""Translatable names for the canonical profile's fields and code values, as the candidate's pages show them.

Only words live here; what a field must hold is the canonical model's business
(``talentgate.canonical``), and its error messages come from there.
"""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from talentgate import canonical

#: Field labels by field name; ``SECTION_FIELD_LABELS`` overrides a name whose meaning differs by section.
FIELD_LABELS: dict[str, str | Promise] = {
    "given_names_latin": _("Given names (Latin script)"),
    "family_name_latin": _("Family name (Latin script)"),
    "given_names_native": _("Given names (native script)"),
    "family_name_native": _("Family name (native script)"),
    "date_of_birth": _("Date of birth"),
    "sex": _("Sex (as in the passport)"),
    "citizenships": _("Citizenships"),
    "residence_country": _("Country of residence"),
    "email": _("Contact e-mail"),
    "phone": _("Contact phone"),
    "kind": _("Kind"),
    "number": _("Number"),
    "issuing_country": _("Issuing country"),
    "issued_on": _("Issued on"),
    "expires_on": _("Expires on"),
    "level": _("Level"),
    "field_code": _("Field of study (ISCED-F code)"),
    "field_name": _("Field of study (as written)"),
    "degree_title": _("Degree title"),
    "institution": _("Institution"),
    "country": _("Country"),
    "graduation_year": _("Graduation year"),
    "title": _("Title"),
    "esco_occupation_uri": _("ESCO occupation URI"),
    "isco08_code": _("ISCO-08 occupation code"),
    "employer": _("Employer"),
    "sector": _("Sector"),
    "start_date": _("Start date"),
    "end_date": _("End date"),
    "hours_per_week": _("Hours per week"),
    "phrase": _("Skill"),
    "esco_skill_uri": _("ESCO skill URI"),
    "test": _("Test"),
    "test_date": _("Test date"),
    "language": _("Language"),
    "listening": _("Listening"),
    "reading": _("Reading"),
    "writing": _("Writing"),
    "speaking": _("Speaking"),
    "overall": _("Overall score"),
    "year": _("Year"),
    "venue": _("Journal or conference"),
    "doi": _("DOI"),
    "peer_reviewed": _("Peer-reviewed"),
    "office": _("Patent office"),
    "status": _("Status"),
    "field": _("Field"),
    "evidence": _("Evidence (link or description)"),
    "amount": _("Amount"),
    "currency": _("Currency"),
    "period": _("Per"),
    "offered_on": _("Offered on"),
    "relation": _("Relation"),
    "h_index": _("h-index"),
}

SECTION_FIELD_LABELS: dict[tuple[str, str], str | Promise] = {
    ("identity_documents", "kind"): _("Document"),
    ("identity_documents", "number"): _("Document number"),
    ("education", "level"): _("Level of education"),
    ("skills", "level"): _("Your level"),
    ("language_tests", "level"): _("Level certified (e.g. B2, N2)"),
    ("achievements", "level"): _("Level of recognition"),
    ("patents", "number"): _("Patent number"),
    ("work_history", "title"): _("Job title"),
}

HELP_TEXTS: dict[tuple[str, str], str | Promise] = {
    ("identity", "citizenships"): _("Two-letter country codes separated by commas, e.g. KZ, IN. Empty if stateless."),
    ("identity", "phone"): _("International format with the country code, e.g. +77011234567."),
    ("identity", "given_names_latin"): _("As in your passport."),
    ("identity_documents", "number"): _("Saved numbers are shown masked; type a new number to replace one."),
    ("education", "field_code"): _("ISCED-F 2013: 2 to 4 digits, e.g. 0716. Give this or the field as written."),
    ("education", "graduation_year"): _("Leave empty while you are still studying."),
    ("work_history", "isco08_code"): _("Four digits, e.g. 2144. Give this or an ESCO occupation URI."),
    ("work_history", "end_date"): _("Leave empty for your current job."),
    ("language_tests", "language"): _("Needed only for a self-assessment; a test's own language is filled in for you."),
    ("publications", "doi"): _("For example 10.1000/xyz123."),
    ("family", "citizenships"): _("Two-letter country codes separated by commas."),
    ("family", "date_of_birth"): _("Required for a child."),
}

ISCED_LEVEL_LABELS: dict[int, str | Promise] = {
    0: _("0: Early childhood education"),
    1: _("1: Primary education"),
    2: _("2: Lower secondary education"),
    3: _("3: Upper secondary education"),
    4: _("4: Post-secondary non-tertiary education"),
    5: _("5: Short-cycle tertiary education"),
    6: _("6: Bachelor's or equivalent"),
    7: _("7: Master's or equivalent"),
    8: _("8: Doctoral or equivalent"),
}

ENUM_LABELS: dict[object, str | Promise] = {
    canonical.Sex.FEMALE: _("female"),
    canonical.Sex.MALE: _("male"),
    canonical.Sex.UNSPECIFIED: _("unspecified (X)"),
    canonical.IdentityDocumentKind.PASSPORT: _("passport"),
    canonical.IdentityDocumentKind.NATIONAL_ID: _("national identity card"),
    canonical.IdentityDocumentKind.RESIDENCE_PERMIT: _("residence permit"),
    canonical.IdentityDocumentKind.TRAVEL_DOCUMENT: _("travel document"),
    canonical.SkillLevel.BASIC: _("basic"),
    canonical.SkillLevel.INTERMEDIATE: _("intermediate"),
    canonical.SkillLevel.ADVANCED: _("advanced"),
    canonical.SkillLevel.EXPERT: _("expert"),
    canonical.PatentStatus.FILED: _("filed"),
    canonical.PatentStatus.GRANTED: _("granted"),
    canonical.AchievementField.SCIENCE_TECHNOLOGY: _("science and technology"),
    canonical.AchievementField.EDUCATION: _("education"),
    canonical.AchievementField.SPORT: _("sport"),
    canonical.AchievementField.CREATIVE_INDUSTRIES: _("creative industries"),
    canonical.AchievementField.CULTURE_HUMANITARIAN: _("culture and humanitarian"),
    canonical.AchievementLevel.INTERNATIONAL: _("international"),
    canonical.AchievementLevel.NATIONAL: _("national"),
    canonical.AchievementLevel.REGIONAL: _("regional"),
    canonical.SalaryPeriod.YEAR: _("year"),
    canonical.SalaryPeriod.MONTH: _("month"),
    canonical.SalaryPeriod.HOUR: _("hour"),
    canonical.FamilyRelation.SPOUSE: _("spouse"),
    canonical.FamilyRelation.PARTNER: _("partner"),
    canonical.FamilyRelation.CHILD: _("child"),
    canonical.DocumentKind.PASSPORT: _("passport"),
    canonical.DocumentKind.NATIONAL_ID: _("national identity card"),
    canonical.DocumentKind.DIPLOMA: _("diploma"),
    canonical.DocumentKind.TRANSCRIPT: _("transcript"),
    canonical.DocumentKind.LANGUAGE_CERTIFICATE: _("language certificate"),
    canonical.DocumentKind.EMPLOYMENT_RECORD: _("employment record"),
    canonical.DocumentKind.AWARD_EVIDENCE: _("evidence of an award"),
    canonical.DocumentKind.CV: _("CV"),
    canonical.DocumentKind.PHOTO: _("photo"),
    canonical.DocumentKind.MEDICAL: _("medical certificate"),
    canonical.DocumentKind.POLICE_CLEARANCE: _("police clearance"),
    canonical.DocumentKind.OTHER: _("other"),
    canonical.VerificationStatus.PENDING: _("pending verification"),
    # A document's state: the context keeps the grammatical gender of "document" apart from an application's.
    canonical.VerificationStatus.VERIFIED: pgettext_lazy("document status", "verified"),
    canonical.VerificationStatus.REJECTED: pgettext_lazy("document status", "rejected"),
}

SECTION_TITLES: dict[str, str | Promise] = {
    "identity": _("Identity"),
    "identity_documents": _("Identity documents"),
    "education": _("Education"),
    "work_history": _("Work history"),
    "skills": _("Skills"),
    "language_tests": _("Language tests"),
    "publications": _("Publications"),
    "patents": _("Patents"),
    "h_index": _("h-index"),
    "achievements": _("Achievements"),
    "family": _("Family members relocating with you"),
    "salary_offers": _("Salary offers"),
    "documents": _("Documents"),
    "consents": _("Consents"),
}

ADD_LABELS: dict[str, str | Promise] = {
    "identity_documents": _("Add an identity document"),
    "education": _("Add an education entry"),
    "work_history": _("Add a job"),
    "skills": _("Add a skill"),
    "language_tests": _("Add a language test"),
    "publications": _("Add a publication"),
    "patents": _("Add a patent"),
    "achievements": _("Add an achievement"),
    "family": _("Add a family member"),
    "salary_offers": _("Add a salary offer"),
}


def field_label(section: str, name: str) -> str | Promise:
    """The label of field ``name`` in ``section`` (a canonical key such as ``education``)."""
    return SECTION_FIELD_LABELS.get((section, name)) or FIELD_LABELS.get(name) or name.replace("_", " ")


def enum_label(member: object) -> str | Promise:
    """A code value's name in the current language (the code itself when none is known)."""
    return ENUM_LABELS.get(member) or str(getattr(member, "value", member)).replace("_", " ")
