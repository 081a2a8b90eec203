"""API routes of the hosts domain: organisation sign-up and registration, staff and invitations,
opportunities (with their requirements) and offers, for hosts and for the candidates offers are made to.

Every operation calls ``hosts.services`` or ``hosts.selectors`` only, so the API refuses exactly
what the portal refuses. Lists are paginated (``LimitOffsetPage``) and filtered by query
parameters; another organisation's object is answered 404.
"""

# No ``from __future__ import annotations`` here: ninja reads the filter parameters' types from the
# signature that ``@paginate`` wraps, whose module cannot resolve names written as strings.
from datetime import datetime
from decimal import Decimal
from typing import Annotated, Any, Literal

from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from talentgate.api.accounts import verification_link_for
from talentgate.api.auth import actor_of
from talentgate.api.errors import error_responses
from talentgate.api.fields import DecimalColumn, IsoDate
from talentgate.api.pagination import LimitOffsetPage
from talentgate.common.errors import NotFound
from talentgate.hosts import selectors, services, vocabulary
from talentgate.hosts.models import Invitation, Membership, Offer, Opportunity, Organisation

router = Router(tags=["hosts"])


# --- schemas ---------------------------------------------------------------------------------------------------------


class OccupationReq(Schema):
    label: str = Field(description="The occupation as written.")
    isco08_code: str = Field("", description="ISCO-08 unit group (1 to 4 digits); needed unless esco_uri is given.")
    esco_uri: str = Field("", description="ESCO occupation URI, where known.")


class SkillReq(Schema):
    label: str
    esco_uri: str = Field("", description="ESCO skill URI, where known; free text otherwise.")
    essential: bool = Field(True, description="False: nice to have.")


class LanguageReq(Schema):
    language: str = Field(description="ISO 639-1 code, e.g. 'ru'.")
    min_level: str = Field(description="Lowest CEFR level accepted: A1 to C2.")


class OpportunityOut(Schema):
    id: int
    organisation_id: int
    organisation_name: str = Field(alias="organisation.name")
    title: str
    kind: str
    status: str
    country: str = Field(alias="country_id")
    city: str
    capacity: int
    sector_id: int | None = None
    description: str = ""
    min_education_level: int | None = None
    min_experience_years: int = 0
    salary_min: Decimal | None = None
    salary_max: Decimal | None = None
    salary_currency: str | None = Field(None, alias="salary_currency_id")
    salary_period: str = ""
    application_deadline: IsoDate | None = None
    start_date: IsoDate | None = None
    published_at: datetime | None = None
    created_at: datetime | None = None
    occupations: list[OccupationReq] = Field(default_factory=list)
    skills: list[SkillReq] = Field(default_factory=list)
    languages: list[LanguageReq] = Field(default_factory=list)

    @staticmethod
    def resolve_occupations(obj: Opportunity) -> list[Any]:
        return list(obj.occupations.all())

    @staticmethod
    def resolve_skills(obj: Opportunity) -> list[Any]:
        return list(obj.skills.all())

    @staticmethod
    def resolve_languages(obj: Opportunity) -> list[Any]:
        return list(obj.languages.all())


class OpportunityPatch(Schema):
    """Only the fields sent change; a requirement list sent replaces the old one."""

    title: str | None = None
    kind: str | None = None
    country: str | None = Field(None, description="ISO 3166-1 alpha-2.")
    sector_id: int | None = None
    description: str | None = None
    city: str | None = None
    min_education_level: int | None = Field(None, description="ISCED 2011 level, 0 to 8.")
    min_experience_years: int | None = None
    capacity: int | None = None
    salary_min: Annotated[Decimal, DecimalColumn(Opportunity, "salary_min")] | None = None
    salary_max: Annotated[Decimal, DecimalColumn(Opportunity, "salary_max")] | None = None
    salary_currency: str | None = Field(None, description="ISO 4217 code.")
    salary_period: str | None = Field(None, description="hour, month or year.")
    application_deadline: IsoDate | None = None
    start_date: IsoDate | None = None
    occupations: list[OccupationReq] | None = None
    skills: list[SkillReq] | None = None
    languages: list[LanguageReq] | None = None


class OpportunityIn(OpportunityPatch):
    """A new opportunity (a draft of the caller's organisation)."""

    title: str
    kind: str = Field(description="position, fellowship, exchange_slot or facility_collaboration.")
    country: str = Field(description="ISO 3166-1 alpha-2.")
    occupations: list[OccupationReq] = Field(default_factory=list)
    skills: list[SkillReq] = Field(default_factory=list)
    languages: list[LanguageReq] = Field(default_factory=list)


class OpportunityFilters(Schema):
    status: Literal["draft", "published", "closed"] | None = None
    organisation_id: int | None = None
    kind: str | None = None
    sector_id: int | None = None
    q: str | None = Field(None, description="Words the title contains.")


class OfferOut(Schema):
    id: int
    opportunity_id: int
    profile_external_id: str = Field(alias="profile.external_id")
    status: str
    expires_at: datetime
    decided_at: datetime | None
    opportunity_title: str = Field("", alias="opportunity.title")
    organisation_name: str = Field("", alias="opportunity.organisation.name")
    candidate_name: str = Field("", alias="profile.display_name")
    terms: str = ""
    salary_amount: Decimal | None = None
    salary_currency: str | None = Field(None, alias="salary_currency_id")
    salary_period: str = ""
    start_date: IsoDate | None = None
    created_at: datetime | None = None
    reason: str = Field("", description="Why it was declined or withdrawn ('expired' for a lapsed one).")


class OfferIn(Schema):
    opportunity_id: int
    profile_external_id: str = Field(description="The candidate (who applied to the programme or consented).")
    terms: str
    expires_at: datetime
    salary_amount: Annotated[Decimal, DecimalColumn(Offer, "salary_amount")] | None = None
    salary_currency: str = ""
    salary_period: str = ""
    start_date: IsoDate | None = None


class OfferFilters(Schema):
    status: Literal["offered", "accepted", "declined", "lapsed", "withdrawn"] | None = None
    opportunity_id: int | None = None


class ReasonIn(Schema):
    reason: str = Field("", max_length=2000)


class HostOrganisationOut(Schema):
    id: int
    name: str
    kind: str
    country: str = Field(alias="country_id")
    region: str
    website: str
    sector_id: int | None
    verification: str = Field(description="pending, verified or rejected; only a verified one may publish.")
    verification_reason: str
    created_at: datetime


class OrganisationIn(Schema):
    name: str
    kind: str = Field(description="state_corporation, private_company, research_institute, university, ...")
    country: str = Field(description="ISO 3166-1 alpha-2.")
    region: str = ""
    website: str = ""
    sector_id: int | None = None


class OrganisationSignUpIn(OrganisationIn):
    email: str = Field(description="The admin's sign-in address; the verification link is sent to it.")
    password: str
    first_name: str = Field("", max_length=150)
    last_name: str = Field("", max_length=150)


class MemberOut(Schema):
    id: int
    organisation_id: int
    user_id: int
    email: str = Field(alias="user.email")
    name: str = Field("", alias="user.get_full_name")
    role: str = Field(description="admin or staff.")
    active: bool
    joined_at: datetime
    left_at: datetime | None


class MemberFilters(Schema):
    active: bool | None = Field(True, description="Current members (default), former ones (false) or all (empty).")
    role: Literal["admin", "staff"] | None = None


class InvitationOut(Schema):
    id: int
    organisation_id: int
    email: str
    role: str
    state: str = Field(description="open, accepted, revoked or expired.")
    created_at: datetime
    expires_at: datetime
    accepted_at: datetime | None
    revoked_at: datetime | None

    @staticmethod
    def resolve_state(obj: Invitation) -> str:
        return selectors.invitation_state(obj)


class InvitationIn(Schema):
    email: str
    role: Literal["admin", "staff"] = "staff"


class InvitationFilters(Schema):
    state: Literal["open", "accepted", "revoked", "expired"] | None = None


class InvitationTokenIn(Schema):
    token: str = Field(description="The token from the e-mailed invitation link (its last path segment).")


class JoinIn(InvitationTokenIn):
    password: str
    first_name: str = Field("", max_length=150)
    last_name: str = Field("", max_length=150)


class TermOut(Schema):
    label: str
    code: str = Field(description="ISCO-08 for occupations, ISO 639-1 for languages, empty for skills.")


class CandidateOut(Schema):
    external_id: str
    name: str = Field(alias="display_name")


def _invitation_link(request: HttpRequest) -> Any:
    return lambda token: request.build_absolute_uri(reverse("portal:host:join", kwargs={"token": token}))


def _with_requirements(queryset: QuerySet[Opportunity]) -> QuerySet[Opportunity]:
    return queryset.prefetch_related("occupations", "skills", "languages")


# --- organisations -----------------------------------------------------------------------------------------------------


@router.post(
    "/organisations/signup",
    auth=None,
    response={201: HostOrganisationOut, **error_responses(400, 422)},
    summary="Sign up an organisation and its admin",
)
def sign_up_organisation(request: HttpRequest, payload: OrganisationSignUpIn) -> Status:
    """Create the admin's account (inactive until the e-mailed link is followed) and the organisation
    (pending verification by a programme officer; it cannot publish until then)."""
    organisation = services.sign_up_organisation(
        email=payload.email,
        password=payload.password,
        first_name=payload.first_name,
        last_name=payload.last_name,
        name=payload.name,
        kind=payload.kind,
        country=payload.country,
        region=payload.region,
        website=payload.website,
        sector_id=payload.sector_id,
        verification_link=verification_link_for(request),
    )
    return Status(201, organisation)


@router.post(
    "/organisations",
    response={201: HostOrganisationOut, **error_responses(400, 401, 403, 409, 422)},
    summary="Register an organisation",
)
def register_organisation(request: HttpRequest, payload: OrganisationIn) -> Status:
    """A signed-in host admin who belongs to no organisation registers one and becomes its admin."""
    organisation = services.register_organisation(actor_of(request), **payload.model_dump())
    return Status(201, organisation)


@router.get(
    "/organisations/{organisation_id}",
    response={200: HostOrganisationOut, **error_responses(401, 404, 422)},
    summary="Get an organisation",
)
def get_organisation(request: HttpRequest, organisation_id: int) -> Organisation:
    """A verified organisation, or the caller's own whatever its state (programme staff: any); otherwise 404."""
    return selectors.get_organisation_for(actor_of(request), organisation_id)


# --- staff and invitations ---------------------------------------------------------------------------------------------


@router.get("/members", response={200: list[MemberOut], **error_responses(401, 422)}, summary="List members")
@paginate(LimitOffsetPage)
def list_members(request: HttpRequest, filters: Query[MemberFilters]) -> QuerySet[Membership]:
    """The members of the caller's organisation (programme staff: of every organisation)."""
    members = selectors.memberships_visible_to(actor_of(request))
    if filters.active is not None:
        members = members.filter(active=filters.active)
    if filters.role:
        members = members.filter(role=filters.role)
    return members.order_by("organisation_id", "role", "user__email", "pk")


@router.delete(
    "/members/{membership_id}",
    response={200: MemberOut, **error_responses(401, 403, 404, 409, 422)},
    summary="Remove a member",
)
def remove_member(request: HttpRequest, membership_id: int) -> Membership:
    """End a membership (the organisation's admins only); the last admin cannot be removed. The record stays."""
    return services.remove_staff(actor_of(request), membership_id)


@router.get(
    "/invitations", response={200: list[InvitationOut], **error_responses(401, 422)}, summary="List invitations"
)
@paginate(LimitOffsetPage)
def list_invitations(request: HttpRequest, filters: Query[InvitationFilters]) -> Any:
    """The invitations of the caller's organisation (its admins only), newest first, filtered by state."""
    invitations = selectors.invitations_visible_to(actor_of(request)).order_by("-created_at", "-pk")
    if filters.state:
        return [i for i in invitations if selectors.invitation_state(i) == filters.state]
    return invitations


@router.post(
    "/invitations",
    response={201: InvitationOut, **error_responses(400, 401, 403, 404, 409, 422)},
    summary="Invite a person",
)
def create_invitation(request: HttpRequest, payload: InvitationIn) -> Status:
    """Invite a person by e-mail to the caller's organisation (its admins only). The link is e-mailed to them;
    the token is never returned."""
    actor = actor_of(request)
    membership = selectors.membership_of(actor)
    if membership is None:
        raise NotFound("organisation")
    invitation = services.invite_staff_by_email(
        actor,
        membership.organisation_id,
        email=payload.email,
        role=payload.role,
        invitation_link=_invitation_link(request),
    )
    return Status(201, invitation)


@router.post(
    "/invitations/{invitation_id}/revoke",
    response={200: InvitationOut, **error_responses(401, 403, 404, 409, 422)},
    summary="Revoke an invitation",
)
def revoke_invitation(request: HttpRequest, invitation_id: int) -> Invitation:
    """Revoke an open invitation of the caller's organisation (its admins only); its link stops working."""
    return services.revoke_invitation(actor_of(request), invitation_id)


@router.post(
    "/invitations/accept",
    response={200: MemberOut, **error_responses(400, 401, 403, 404, 409, 422)},
    summary="Accept an invitation",
)
def accept_invitation(request: HttpRequest, payload: InvitationTokenIn) -> Membership:
    """The signed-in invitee (same e-mail address, matching host role) joins the organisation."""
    return services.accept_invitation(payload.token, actor_of(request))


@router.post(
    "/invitations/join",
    auth=None,
    response={201: MemberOut, **error_responses(400, 403, 404, 409, 422)},
    summary="Create an account with an invitation",
)
def join_with_invitation(request: HttpRequest, payload: JoinIn) -> Status:
    """An invitee without an account creates one (the invited address and role) and joins, in one step."""
    membership = services.join_with_new_account(
        payload.token, password=payload.password, first_name=payload.first_name, last_name=payload.last_name
    )
    return Status(201, membership)


# --- opportunities ---------------------------------------------------------------------------------------------------------


@router.get(
    "/opportunities", response={200: list[OpportunityOut], **error_responses(401, 422)}, summary="List opportunities"
)
@paginate(LimitOffsetPage)
def list_opportunities(request: HttpRequest, filters: Query[OpportunityFilters]) -> QuerySet[Opportunity]:
    """Published opportunities of verified organisations, and every one of the caller's own organisation."""
    found = _with_requirements(selectors.opportunities_visible_to(actor_of(request)))
    for name in ("status", "organisation_id", "kind", "sector_id"):
        value = getattr(filters, name)
        if value is not None:
            found = found.filter(**{name: value})
    for word in (filters.q or "").split():
        found = found.filter(title__icontains=word)
    return found.order_by("-created_at", "-pk")


@router.get(
    "/opportunities/{opportunity_id}",
    response={200: OpportunityOut, **error_responses(401, 404, 422)},
    summary="Get an opportunity",
)
def get_opportunity(request: HttpRequest, opportunity_id: int) -> Opportunity:
    """A published opportunity of a verified organisation, or any of the caller's own organisation; otherwise 404."""
    return selectors.get_opportunity_for(actor_of(request), opportunity_id)


@router.post(
    "/opportunities",
    response={201: OpportunityOut, **error_responses(400, 401, 403, 422)},
    summary="Create an opportunity",
)
def create_opportunity(request: HttpRequest, payload: OpportunityIn) -> Status:
    """A draft opportunity of the caller's organisation, with its required occupations, skills and languages."""
    values = payload.model_dump(exclude={"occupations", "skills", "languages"}, exclude_none=True)
    opportunity = services.create_opportunity(
        actor_of(request),
        occupations=[row.model_dump() for row in payload.occupations],
        skills=[row.model_dump() for row in payload.skills],
        languages=[row.model_dump() for row in payload.languages],
        **values,
    )
    return Status(201, opportunity)


@router.patch(
    "/opportunities/{opportunity_id}",
    response={200: OpportunityOut, **error_responses(400, 401, 403, 404, 409, 422)},
    summary="Change an opportunity",
)
def update_opportunity(request: HttpRequest, opportunity_id: int, payload: OpportunityPatch) -> Opportunity:
    """Change a draft or published opportunity of the caller's organisation (a closed one is frozen)."""
    sent = payload.model_dump(exclude_unset=True)
    # null for a requirement list clears it, as [] does (it crashed on iterating None).
    requirements = {
        kind: [dict(row) for row in sent.pop(kind) or []]
        for kind in ("occupations", "skills", "languages")
        if kind in sent
    }
    for kind in ("salary_currency", "country"):
        if kind in sent and sent[kind] is None:
            sent[kind] = ""
    return services.update_opportunity(actor_of(request), opportunity_id, **requirements, **sent)


@router.post(
    "/opportunities/{opportunity_id}/publish",
    response={200: OpportunityOut, **error_responses(401, 403, 404, 409, 422)},
    summary="Publish an opportunity",
)
def publish_opportunity(request: HttpRequest, opportunity_id: int) -> Opportunity:
    """Publish a draft; refused (409, the condition named) until the organisation is verified or after its deadline."""
    return services.publish_opportunity(actor_of(request), opportunity_id)


@router.post(
    "/opportunities/{opportunity_id}/close",
    response={200: OpportunityOut, **error_responses(401, 403, 404, 409, 422)},
    summary="Close an opportunity",
)
def close_opportunity(request: HttpRequest, opportunity_id: int) -> Opportunity:
    """Close a draft or published opportunity; offers already made stay as they are."""
    return services.close_opportunity(actor_of(request), opportunity_id)


# --- offers ------------------------------------------------------------------------------------------------------------------


@router.get("/offers", response={200: list[OfferOut], **error_responses(401, 422)}, summary="List offers")
@paginate(LimitOffsetPage)
def list_offers(request: HttpRequest, filters: Query[OfferFilters]) -> QuerySet[Offer]:
    """A candidate's own offers, or the offers of the caller's organisation, newest first, filtered."""
    found = selectors.offers_visible_to(actor_of(request))
    if filters.status:
        found = found.filter(status=filters.status)
    if filters.opportunity_id is not None:
        found = found.filter(opportunity_id=filters.opportunity_id)
    return found.order_by("-created_at", "-pk")


@router.get(
    "/offers/{offer_id}",
    response={200: OfferOut, **error_responses(401, 404, 422)},
    summary="Get an offer",
)
def get_offer(request: HttpRequest, offer_id: int) -> Offer:
    """An offer made to the caller's profile or by the caller's organisation (programme staff: any); otherwise 404."""
    return selectors.get_offer_for(actor_of(request), offer_id)


@router.post(
    "/offers", response={201: OfferOut, **error_responses(400, 401, 403, 404, 409, 422)}, summary="Make an offer"
)
def make_offer(request: HttpRequest, payload: OfferIn) -> Status:
    """Offer a published opportunity of the caller's organisation to a candidate who applied to the programme
    or gave the 'matched_hosts' consent (anyone else: 404)."""
    actor = actor_of(request)
    profile = selectors.get_candidate_for(actor, payload.profile_external_id)
    offer = services.make_offer(
        actor,
        opportunity_id=payload.opportunity_id,
        profile_id=profile.pk,
        terms=payload.terms,
        expires_at=payload.expires_at,
        salary_amount=payload.salary_amount,
        salary_currency=payload.salary_currency,
        salary_period=payload.salary_period,
        start_date=payload.start_date,
    )
    return Status(201, offer)


@router.post(
    "/offers/{offer_id}/withdraw",
    response={200: OfferOut, **error_responses(400, 401, 403, 404, 409, 422)},
    summary="Withdraw an offer",
)
def withdraw_offer(request: HttpRequest, offer_id: int, payload: ReasonIn) -> Offer:
    """Withdraw an open offer of the caller's organisation, giving the reason the candidate sees."""
    return services.withdraw_offer(actor_of(request), offer_id, reason=payload.reason)


@router.post(
    "/offers/{offer_id}/accept",
    response={200: OfferOut, **error_responses(401, 403, 404, 409, 422)},
    summary="Accept an offer",
)
def accept_offer(request: HttpRequest, offer_id: int) -> Offer:
    """The candidate accepts an offer made to them; refused (409, the reason named) once it expired or its places are taken."""
    return services.accept_offer(actor_of(request), offer_id)


@router.post(
    "/offers/{offer_id}/decline",
    response={200: OfferOut, **error_responses(400, 401, 403, 404, 409, 422)},
    summary="Decline an offer",
)
def decline_offer(request: HttpRequest, offer_id: int, payload: ReasonIn) -> Offer:
    """The candidate declines an offer made to them, optionally saying why; refused (409) once it expired."""
    return services.decline_offer(actor_of(request), offer_id, reason=payload.reason)


# --- pickers -----------------------------------------------------------------------------------------------------------------

SUGGESTERS = {
    "occupations": vocabulary.suggest_occupations,
    "skills": vocabulary.suggest_skills,
    "languages": vocabulary.suggest_languages,
}


@router.get(
    "/taxonomy/{kind}",
    response={200: list[TermOut], **error_responses(401, 404, 422)},
    summary="Suggest taxonomy terms",
)
def suggest_terms(
    request: HttpRequest,
    kind: Literal["occupations", "skills", "languages"],
    q: str = "",
    limit: int = Query(10, ge=1, le=50),
) -> list[vocabulary.Term]:
    """The curated vocabulary's best matches for ``q`` (until the ESCO taxonomy arrives); free text stays allowed."""
    return SUGGESTERS[kind](q, limit)


@router.get(
    "/candidates",
    response={200: list[CandidateOut], **error_responses(401, 422)},
    summary="Find candidates to make offers to",
)
@paginate(LimitOffsetPage)
def list_candidates(request: HttpRequest, q: str = "") -> Any:
    """Candidates the caller's organisation may make offers to (they applied or consented), by name or id."""
    return selectors.candidates_matching(actor_of(request), q)
