"""The case data handed to the authority: who is to be permitted, for whom they will work, with which family
and documents. Minimal by design: no contact details, scores, notes or files; identity numbers in full
only in the package itself (``reveal=True``), masked anywhere else.
"""

from __future__ import annotations

from typing import Any

from talentgate.common.crypto import mask


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def _number(value: str, reveal: bool) -> str:
    return value if reveal else mask(value)


def case_package(case: Any, *, reveal: bool) -> dict[str, Any]:
    """The package for one case (a ``cases.RelocationCase``) as plain JSON-ready data."""
    profile = case.profile
    offer = case.offer
    opportunity = offer.opportunity if offer is not None else None
    organisation = case.organisation or (opportunity.organisation if opportunity is not None else None)
    return {
        "id": case.pk,
        "kind": case.kind,
        "source": case.source,
        "programme": case.programme.code if case.programme_id else None,
        "destination_country": case.destination_country_id,
        "candidate": {
            "given_names_latin": profile.given_names_latin,
            "family_name_latin": profile.family_name_latin,
            "given_names_native": profile.given_names_native,
            "family_name_native": profile.family_name_native,
            "date_of_birth": _iso(profile.date_of_birth),
            "sex": profile.sex,
            "citizenships": list(profile.citizenships or []),
            "identity_documents": [
                {
                    "kind": doc.kind,
                    "number": _number(doc.number, reveal),
                    "issuing_country": doc.issuing_country,
                    "issued_on": _iso(doc.issued_on),
                    "expires_on": _iso(doc.expires_on),
                }
                for doc in profile.identity_documents.all()
            ],
        },
        "host": {
            "organisation": organisation.name if organisation is not None else None,
            "country": organisation.country_id if organisation is not None else None,
            "position": opportunity.title if opportunity is not None else None,
            "start_date": _iso(offer.start_date) if offer is not None else None,
            "salary_amount": str(offer.salary_amount)
            if offer is not None and offer.salary_amount is not None
            else None,
            "salary_currency": offer.salary_currency_id if offer is not None else None,
            "salary_period": (offer.salary_period or None) if offer is not None else None,
        },
        "family": [
            {
                "relation": member.relation,
                "given_names_latin": member.given_names_latin,
                "family_name_latin": member.family_name_latin,
                "date_of_birth": _iso(member.date_of_birth),
                "identity_number": _number(member.identity_number, reveal) if member.identity_number else "",
            }
            for member in case.family.all()
        ],
        "documents": [
            {
                "kind": document.kind,
                "for_family_member": document.family_member_id is not None,
                "status": document.status,
                "issued_on": _iso(document.issued_on),
                "expires_on": _iso(document.expires_on),
            }
            for document in case.documents.all()
        ],
    }
