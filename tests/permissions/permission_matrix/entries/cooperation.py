"""Matrix entries of the cooperation registry: every signed-in person reads the API and the pages; only the
administrator writes (adds sources, memberships and agreements, sets quotas).

No world objects of its own: the registry is loaded after migrate, and the entries point at its shipped rows
(BRICS, Egypt, JINR, the NICA complex, the demo mobility programme and its quotas).
"""

from __future__ import annotations

from permission_matrix.harness import ALL_SIGNED_IN, Endpoint, World
from talentgate.cooperation.models import Agreement, BlocMembership

ADMINISTRATOR = frozenset({"administrator"})


def _egypt_in_brics(world: World) -> dict[str, int]:
    return {"membership_id": BlocMembership.objects.get(bloc__code="brics", country_id="EG", kind="member").pk}


def _iter_agreement(world: World) -> dict[str, int]:
    return {"agreement_id": Agreement.objects.get(title_en__startswith="Agreement on the Establishment of the ITER").pk}


BRICS = {"code": "brics"}
JINR = {"code": "jinr"}
PROGRAMME = {"code": "demo-partner-mobility"}

ENDPOINTS = [
    # API reads: everyone signed in.
    Endpoint("api:cooperation_list_countries", ALL_SIGNED_IN),
    Endpoint("api:cooperation_get_country", ALL_SIGNED_IN, kwargs=lambda w: {"code": "EG"}),
    Endpoint("api:cooperation_list_regions", ALL_SIGNED_IN),
    Endpoint("api:cooperation_list_blocs", ALL_SIGNED_IN),
    Endpoint("api:cooperation_get_bloc", ALL_SIGNED_IN, kwargs=lambda w: BRICS),
    Endpoint("api:cooperation_list_bloc_memberships", ALL_SIGNED_IN, kwargs=lambda w: BRICS),
    Endpoint("api:cooperation_list_organisations", ALL_SIGNED_IN),
    Endpoint("api:cooperation_get_organisation", ALL_SIGNED_IN, kwargs=lambda w: JINR),
    Endpoint("api:cooperation_list_organisation_memberships", ALL_SIGNED_IN, kwargs=lambda w: JINR),
    Endpoint("api:cooperation_list_agreements", ALL_SIGNED_IN),
    Endpoint("api:cooperation_get_agreement", ALL_SIGNED_IN, kwargs=_iter_agreement),
    Endpoint("api:cooperation_list_facilities", ALL_SIGNED_IN),
    Endpoint("api:cooperation_get_facility", ALL_SIGNED_IN, kwargs=lambda w: {"code": "nica"}),
    Endpoint("api:cooperation_list_exchange_programmes", ALL_SIGNED_IN),
    Endpoint("api:cooperation_get_exchange_programme", ALL_SIGNED_IN, kwargs=lambda w: PROGRAMME),
    Endpoint("api:cooperation_list_quotas", ALL_SIGNED_IN, kwargs=lambda w: PROGRAMME),
    Endpoint("api:cooperation_list_sources", ALL_SIGNED_IN),
    Endpoint("api:cooperation_list_science_areas", ALL_SIGNED_IN),
    Endpoint("api:cooperation_check_registry", ALL_SIGNED_IN),
    # API writes: the administrator only.
    Endpoint(
        "api:cooperation_add_bloc_membership",
        ADMINISTRATOR,
        method="POST",
        kwargs=lambda w: BRICS,
        body=lambda w: {"country": "DZ", "kind": "partner", "start": "2026-03", "sources": ["brics-india-chair-2026"]},
    ),
    Endpoint(
        "api:cooperation_update_bloc_membership",
        ADMINISTRATOR,
        method="PATCH",
        kwargs=_egypt_in_brics,
        body=lambda w: {"notes": "Checked by the matrix."},
    ),
    Endpoint(
        "api:cooperation_create_agreement",
        ADMINISTRATOR,
        method="POST",
        body=lambda w: {"title_en": "Matrix memorandum", "parties": [{"country": "EG"}], "sources": ["jinr-1"]},
    ),
    Endpoint(
        "api:cooperation_set_quota",
        ADMINISTRATOR,
        method="PUT",
        kwargs=lambda w: PROGRAMME,
        body=lambda w: {"country": "MN", "year": 2026, "places": 3},
    ),
    Endpoint(
        "api:cooperation_create_source",
        ADMINISTRATOR,
        method="POST",
        body=lambda w: {"key": "matrix-source", "citation": "Matrix statement"},
    ),
    # Pages: everyone signed in.
    Endpoint("portal:registry:index", ALL_SIGNED_IN),
    Endpoint("portal:registry:countries", ALL_SIGNED_IN),
    Endpoint("portal:registry:country", ALL_SIGNED_IN, kwargs=lambda w: {"code": "EG"}),
    Endpoint("portal:registry:bloc", ALL_SIGNED_IN, kwargs=lambda w: BRICS),
    Endpoint("portal:registry:organisations", ALL_SIGNED_IN),
    Endpoint("portal:registry:organisation", ALL_SIGNED_IN, kwargs=lambda w: JINR),
    Endpoint("portal:registry:agreements", ALL_SIGNED_IN),
    Endpoint("portal:registry:agreement", ALL_SIGNED_IN, kwargs=_iter_agreement),
    Endpoint("portal:registry:facilities", ALL_SIGNED_IN),
    Endpoint("portal:registry:facility", ALL_SIGNED_IN, kwargs=lambda w: {"code": "nica"}),
    Endpoint("portal:registry:exchange_programmes", ALL_SIGNED_IN),
    Endpoint("portal:registry:exchange_programme", ALL_SIGNED_IN, kwargs=lambda w: PROGRAMME),
]
