"""Matrix entries of the host organisation pages, the candidate's offer pages and the hosts API's writes.

Builds on the ``hosts`` entries' world (organisations A and B, A's ``draft_opportunity``,
``published_opportunity`` and ``offer`` to ``candidate``) and adds, through ``hosts.services``:
``invitation`` (A's open invitation to a person without an account, with its raw
``invitation_token``) and ``staff_membership`` (A's ``host_staff``). ``other_candidate`` gives the
'matched_hosts' consent, so A may make them an offer on the published opportunity.
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from permission_matrix.harness import ALL_SIGNED_IN, ANONYMOUS, NOBODY, Endpoint, Exempt, World
from talentgate.candidates.services import give_consent
from talentgate.hosts import selectors, services

ORGANISATION_A = frozenset({"host_admin", "host_staff"})
HOSTS = frozenset({"host_admin", "host_staff", "other_host_admin", "other_host_staff"})
ADMINS = frozenset({"host_admin", "other_host_admin"})
EVERYONE = ALL_SIGNED_IN | {ANONYMOUS}
NEW_PASSWORD = "pw-Joining-2026!"


def build(world: World) -> None:
    admin = world.users["host_admin"]
    invitation, token = services.invite_staff(admin, world.obj("organisation").pk, email="invitee@matrix.test")
    world.objects["invitation"] = invitation
    world.objects["invitation_token"] = token
    world.objects["staff_membership"] = selectors.membership_of(world.users["host_staff"])
    other = world.users["other_candidate"]
    give_consent(other, world.obj("other_profile"), "matched_hosts", "1")


def _draft(w: World) -> dict[str, int]:
    return {"opportunity_id": w.obj("draft_opportunity").pk}


def _published(w: World) -> dict[str, int]:
    return {"opportunity_id": w.obj("published_opportunity").pk}


def _offer(w: World) -> dict[str, int]:
    return {"offer_id": w.obj("offer").pk}


def _expiry() -> str:
    return (timezone.now() + timedelta(days=14)).strftime("%Y-%m-%dT%H:%M")


OPPORTUNITY_FORM = {
    "title": "Matrix role",
    "kind": "position",
    "country": "RU",
    "capacity": "1",
    "min_experience_years": "0",
}


ENDPOINTS = [
    # --- host portal: organisation and staff ---
    Endpoint("portal:host:dashboard", HOSTS),
    # Members are sent on to their dashboard (nothing registered); everyone else is refused.
    Endpoint("portal:host:register", HOSTS),
    Endpoint(
        "portal:host:register",
        HOSTS,
        method="POST",
        body=lambda w: {"name": "X", "kind": "university", "country": "RU"},
    ),
    Endpoint("portal:host:staff", HOSTS),
    Endpoint(
        "portal:host:invite", ADMINS, method="POST", body=lambda w: {"email": "new.person@matrix.test", "role": "staff"}
    ),
    Endpoint(
        "portal:host:revoke_invitation",
        frozenset({"host_admin"}),
        method="POST",
        kwargs=lambda w: {"invitation_id": w.obj("invitation").pk},
    ),
    Endpoint(
        "portal:host:remove_member",
        frozenset({"host_admin"}),
        method="POST",
        kwargs=lambda w: {"membership_id": w.obj("staff_membership").pk},
    ),
    # The token is the credential: anyone holding the link sees whose invitation it is...
    Endpoint("portal:host:join", EVERYONE, kwargs=lambda w: {"token": w.obj("invitation_token")}),
    # ...but only the invited address may join: every signed-in actor is someone else (403).
    Endpoint(
        "portal:host:join",
        frozenset({ANONYMOUS}),
        method="POST",
        kwargs=lambda w: {"token": w.obj("invitation_token")},
        body=lambda w: {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    ),
    Endpoint(
        "portal:host:validate",
        HOSTS,
        method="POST",
        kwargs=lambda w: {"form_name": "opportunity"},
        body=lambda w: {"_field": "title", "title": "x"},
    ),
    # --- host portal: opportunities ---
    Endpoint("portal:host:opportunity_list", HOSTS),
    Endpoint("portal:host:opportunity_new", HOSTS),
    Endpoint("portal:host:opportunity_new", HOSTS, method="POST", body=lambda w: OPPORTUNITY_FORM),
    Endpoint("portal:host:opportunity_detail", ORGANISATION_A, kwargs=_draft),
    Endpoint(
        "portal:host:opportunity_detail",
        ORGANISATION_A,
        kwargs=_published,
        label="GET portal:host:opportunity_detail (published: B sees it in the API, not here)",
    ),
    Endpoint("portal:host:opportunity_edit", ORGANISATION_A, kwargs=_draft),
    Endpoint(
        "portal:host:opportunity_edit",
        ORGANISATION_A,
        method="POST",
        kwargs=_published,
        body=lambda w: OPPORTUNITY_FORM,
    ),
    Endpoint("portal:host:opportunity_publish", ORGANISATION_A, method="POST", kwargs=_draft),
    Endpoint("portal:host:opportunity_close", ORGANISATION_A, method="POST", kwargs=_published),
    Endpoint("portal:host:requirement_row", HOSTS, kwargs=lambda w: {"kind": "skills"}),
    Endpoint("portal:host:suggest", HOSTS, kwargs=lambda w: {"kind": "occupations"}),
    # --- host portal: offers ---
    Endpoint("portal:host:offer_list", HOSTS),
    Endpoint("portal:host:offer_new", ORGANISATION_A, kwargs=_published),
    Endpoint(
        "portal:host:offer_new",
        ORGANISATION_A,
        method="POST",
        kwargs=_published,
        body=lambda w: {
            "candidate": w.obj("other_profile").external_id,
            "terms": "Two years.",
            "expires_at": _expiry(),
        },
    ),
    Endpoint("portal:host:offer_detail", ORGANISATION_A, kwargs=_offer),
    Endpoint(
        "portal:host:offer_withdraw", ORGANISATION_A, method="POST", kwargs=_offer, body=lambda w: {"reason": "r"}
    ),
    Endpoint("portal:host:candidate_suggestions", HOSTS),
    # --- candidate portal: offers (another candidate's offer is "not found") ---
    Endpoint("portal:offers:list", frozenset({"candidate", "other_candidate"})),
    Endpoint("portal:offers:detail", frozenset({"candidate"}), kwargs=_offer),
    Endpoint("portal:offers:accept", frozenset({"candidate"}), method="POST", kwargs=_offer),
    Endpoint(
        "portal:offers:decline", frozenset({"candidate"}), method="POST", kwargs=_offer, body=lambda w: {"reason": ""}
    ),
    # --- API: organisations, staff, invitations ---
    Endpoint(
        "api:hosts_get_organisation", ALL_SIGNED_IN, kwargs=lambda w: {"organisation_id": w.obj("organisation").pk}
    ),
    Endpoint("api:hosts_list_members", ALL_SIGNED_IN),
    Endpoint(
        "api:hosts_remove_member",
        frozenset({"host_admin"}),
        method="DELETE",
        kwargs=lambda w: {"membership_id": w.obj("staff_membership").pk},
    ),
    Endpoint("api:hosts_list_invitations", ALL_SIGNED_IN),
    Endpoint("api:hosts_create_invitation", ADMINS, method="POST", body=lambda w: {"email": "new.person@matrix.test"}),
    Endpoint(
        "api:hosts_revoke_invitation",
        frozenset({"host_admin"}),
        method="POST",
        kwargs=lambda w: {"invitation_id": w.obj("invitation").pk},
    ),
    # Someone else's invitation: every signed-in actor has another address.
    Endpoint("api:hosts_accept_invitation", NOBODY, method="POST", body=lambda w: {"token": w.obj("invitation_token")}),
    # The token is the credential (no sign-in): whoever holds it creates the invited account.
    Endpoint(
        "api:hosts_join_with_invitation",
        EVERYONE,
        method="POST",
        body=lambda w: {"token": w.obj("invitation_token"), "password": NEW_PASSWORD},
    ),
    # --- API: opportunities ---
    Endpoint("api:hosts_list_opportunities", ALL_SIGNED_IN),
    Endpoint(
        "api:hosts_create_opportunity",
        HOSTS,
        method="POST",
        body=lambda w: {"title": "T", "kind": "position", "country": "RU"},
    ),
    Endpoint(
        "api:hosts_update_opportunity", ORGANISATION_A, method="PATCH", kwargs=_draft, body=lambda w: {"title": "New"}
    ),
    Endpoint(
        "api:hosts_update_opportunity",
        ORGANISATION_A,
        method="PATCH",
        kwargs=_published,
        body=lambda w: {"title": "New"},
        label="PATCH api:hosts_update_opportunity (published: visible to all, changed by A only)",
    ),
    Endpoint("api:hosts_publish_opportunity", ORGANISATION_A, method="POST", kwargs=_draft),
    Endpoint("api:hosts_close_opportunity", ORGANISATION_A, method="POST", kwargs=_published),
    Endpoint("api:hosts_suggest_terms", ALL_SIGNED_IN, kwargs=lambda w: {"kind": "occupations"}),
    Endpoint("api:hosts_list_candidates", ALL_SIGNED_IN),
    # --- API: offers ---
    Endpoint("api:hosts_list_offers", ALL_SIGNED_IN),
    Endpoint(
        "api:hosts_make_offer",
        ORGANISATION_A,
        method="POST",
        body=lambda w: {
            "opportunity_id": w.obj("published_opportunity").pk,
            "profile_external_id": w.obj("other_profile").external_id,
            "terms": "Two years.",
            "expires_at": (timezone.now() + timedelta(days=14)).isoformat(),
        },
    ),
    Endpoint("api:hosts_withdraw_offer", ORGANISATION_A, method="POST", kwargs=_offer, body=lambda w: {"reason": "r"}),
    Endpoint("api:hosts_accept_offer", frozenset({"candidate"}), method="POST", kwargs=_offer),
    Endpoint("api:hosts_decline_offer", frozenset({"candidate"}), method="POST", kwargs=_offer, body=lambda w: {}),
]

EXEMPT = [
    Exempt(
        r"^portal:host:sign_up$", "the organisation sign-up form is for people without an account; holds no one's data"
    ),
    Exempt(r"^portal:host:sign_up_done$", "a static 'check your e-mail' page"),
    Exempt(
        r"^portal:host:validate_public$", "checks the shape of one sign-up or joining field; reads and writes nothing"
    ),
    Exempt(
        r"^api:hosts_sign_up_organisation$", "sign-up for people without an account: creates the caller's own account"
    ),
    Exempt(
        r"^api:hosts_register_organisation$",
        "creates the caller's own organisation and touches no one else's; members get 409 "
        "(tests/api/test_hosts_organisations.py)",
    ),
]
