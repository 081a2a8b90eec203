"""Every write of competitions: calls, panels, submissions, declarations, conflicts, assignment, reviews, awards.

Each service is atomic, checks who may act, refuses bad input naming the field and rule (changing nothing), and
records an audit entry on the call's chain (``call:<id>``). Eligibility is the rules engine's verdict under the
call's published policy version; assignment is the framework-free core in ``engines.review_assignment``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

import numpy as np
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext

from talentgate.accounts.models import User
from talentgate.accounts.roles import Role
from talentgate.candidates.services import SNIFF_BYTES, detected_content_type
from talentgate.common import audit
from talentgate.common.access import STAFF_ROLES, require_role
from talentgate.common.errors import Conflict, FieldError, NotFound, ValidationFailed
from talentgate.common.workflow import validation_errors
from talentgate.competitions import wording
from talentgate.competitions.models import (
    AssignmentRun,
    Award,
    AwardOutcome,
    Call,
    ConflictOfInterest,
    Criterion,
    Declaration,
    DeclarationKind,
    PanelMember,
    Review,
    ReviewAssignment,
    Submission,
)
from talentgate.engines.review_assignment import Assignment, AssignmentProblem, assign_reviewers
from talentgate.engines.rules import InputError, assess_one

STAFF = tuple(STAFF_ROLES)
#: Attachment types accepted, by extension, with the bytes a genuine file of that type starts with.
ATTACHMENT_SIGNATURES = {".pdf": b"%PDF-"}


def call_chain(call: Call | int) -> str:
    """The audit chain of one call."""
    return f"call:{call if isinstance(call, int) else call.pk}"


def _call(call_id: int) -> Call:
    try:
        return Call.objects.get(pk=call_id)
    except (Call.DoesNotExist, ValueError, TypeError):
        raise NotFound("call") from None


def _refuse_if(errors: list[FieldError]) -> None:
    if errors:
        raise ValidationFailed(errors)


def eligibility_policy(policy_id: str, version: str) -> Any:
    """The parsed published policy version a call checks eligibility with; ``None`` when it is not published."""
    from talentgate.assessment.models import PolicyStatus, PolicyVersion
    from talentgate.assessment.policies import policy_of

    row = PolicyVersion.objects.filter(policy_id=policy_id, version=version, status=PolicyStatus.PUBLISHED).first()
    return policy_of(row) if row is not None else None


# --- calls and panels ----------------------------------------------------------------------------------------------


def create_call(actor: Any, *, criteria: Sequence[Mapping[str, Any]], **fields: Any) -> Call:
    """Create a call with its rubric (programme staff); ``criteria`` are ``{code, label, weight, min_score, max_score}``."""
    require_role(actor, *STAFF)
    call = Call(created_by=actor, **fields)
    errors = validation_errors(call, exclude=["created_by"])
    if call.policy_id and call.policy_version and eligibility_policy(call.policy_id, call.policy_version) is None:
        errors.append(
            FieldError(
                "policy_version",
                "published",
                gettext("Policy %(id)s version %(version)s is not published; choose a published version.")
                % {"id": call.policy_id, "version": call.policy_version},
            )
        )
    if not criteria:
        errors.append(FieldError("criteria", "required", gettext("Give the rubric at least one criterion.")))
    rows: list[Criterion] = []
    seen: set[str] = set()
    for position, spec in enumerate(criteria):
        row = Criterion(
            position=position,
            **{k: spec.get(k) for k in ("code", "label", "weight", "min_score", "max_score") if k in spec},
        )
        errors.extend(validation_errors(row, prefix=f"criteria.{position}.", exclude=["call"]))
        if row.code in seen:
            errors.append(
                FieldError(f"criteria.{position}.code", "unique", gettext("Each criterion needs its own code."))
            )
        seen.add(row.code)
        if row.weight is not None and Decimal(str(row.weight)) <= 0:
            errors.append(FieldError(f"criteria.{position}.weight", "positive", gettext("A weight must be above 0.")))
        if row.min_score is not None and row.max_score is not None and row.min_score >= row.max_score:
            errors.append(
                FieldError(
                    f"criteria.{position}.max_score", "range", gettext("The highest score must exceed the lowest.")
                )
            )
        rows.append(row)
    _refuse_if(errors)
    with transaction.atomic():
        call.save()
        for row in rows:
            row.call = call
        Criterion.objects.bulk_create(rows)
        audit.record(actor, "call.create", call, chain=call_chain(call), fields=[*fields, "criteria"])
    return call


def add_panel_member(actor: Any, call_id: int, *, reviewer_id: int, institution: str, country: str) -> PanelMember:
    """Put a reviewer on a call's panel with the affiliation conflicts are checked against (programme staff)."""
    require_role(actor, *STAFF)
    call = _call(call_id)
    reviewer = User.objects.filter(pk=reviewer_id, role=Role.REVIEWER, is_active=True).first()
    errors: list[FieldError] = []
    if reviewer is None:
        errors.append(FieldError("reviewer_id", "reviewer", gettext("Choose an active user with the reviewer role.")))
    member = PanelMember(call=call, reviewer=reviewer, institution=institution.strip(), country=country.strip().upper())
    errors.extend(validation_errors(member, exclude=["reviewer", "call"]))
    _refuse_if(errors)
    if PanelMember.objects.filter(call=call, reviewer=reviewer).exists():
        raise Conflict("reviewer_id", "unique", gettext("This reviewer is already on the panel."))
    with transaction.atomic():
        member.save()
        audit.record(
            actor, "call.panel_add", member, chain=call_chain(call), fields=["reviewer", "institution", "country"]
        )
    return member


# --- submissions ---------------------------------------------------------------------------------------------------


def _check_attachment(attachment: UploadedFile | None) -> list[FieldError]:
    if attachment is None:
        return []
    name = (attachment.name or "").lower()
    extension = name[name.rfind(".") :] if "." in name else ""
    limit = settings.DOCUMENT_MAX_UPLOAD_BYTES
    if attachment.size is None or attachment.size > limit:
        return [
            FieldError(
                "attachment",
                "size",
                gettext("The attachment may be at most %(limit).1f MB.") % {"limit": limit / 1e6},
            )
        ]
    signature = ATTACHMENT_SIGNATURES.get(extension)
    head = attachment.read(SNIFF_BYTES)
    attachment.seek(0)
    if signature is None or not head.startswith(signature):
        detected = detected_content_type(head)
        message = gettext("Attach a PDF file (.pdf).")
        if detected and detected != "application/pdf":
            message += " " + gettext("By its content this file is %(detected)s.") % {"detected": detected}
        return [FieldError("attachment", "type", message)]
    return []


def submit_entry(
    actor: Any,
    call_id: int,
    *,
    title: str,
    abstract: str,
    institution: str,
    country: str,
    eligibility_inputs: Mapping[str, Any],
    attachment: UploadedFile | None = None,
    today: dt.date | None = None,
) -> Submission:
    """A candidate submits to an open call (once); the call's policy decides eligibility and explains it."""
    require_role(actor, Role.CANDIDATE)
    call = _call(call_id)
    today = today or timezone.localdate()
    if not call.opens_on <= today <= call.closes_on:
        raise Conflict(
            "call",
            "open",
            gettext("The call takes submissions from %(opens)s to %(closes)s.")
            % {"opens": call.opens_on.isoformat(), "closes": call.closes_on.isoformat()},
        )
    if Submission.objects.filter(call=call, candidate=actor).exists():
        raise Conflict("call", "one_per_candidate", gettext("You have already submitted to this call."))
    submission = Submission(
        call=call,
        candidate=actor,
        title=title.strip(),
        abstract=abstract.strip(),
        institution=institution.strip(),
        country=country.strip().upper(),
        eligibility_inputs=dict(eligibility_inputs),
    )
    errors = validation_errors(submission, exclude=["call", "candidate", "attachment", "eligibility_explanation"])
    errors.extend(_check_attachment(attachment))
    policy = eligibility_policy(call.policy_id, call.policy_version)
    explanation = None
    if policy is None:
        errors.append(FieldError("call", "policy", gettext("The call's eligibility policy is not published.")))
    else:
        unknown = sorted(set(eligibility_inputs) - {spec.name for spec in policy.inputs})
        for name in unknown:
            errors.append(
                FieldError(f"eligibility_inputs.{name}", "unknown", gettext("The call's policy does not ask for this."))
            )
        try:
            explanation = assess_one(eligibility_inputs, policy)
        except InputError as exc:
            errors.append(FieldError(f"eligibility_inputs.{exc.field}", "type", exc.rule))
    _refuse_if(errors)
    assert explanation is not None
    submission.eligible = explanation.eligible
    submission.eligibility_explanation = {
        "policy_id": explanation.policy_id,
        "version": explanation.version,
        "eligible": explanation.eligible,
        "gates": {g.gate: g.passed for g in explanation.gates},
        "missing": list(explanation.missing),
        "sentences": {"en": explanation.sentences("en"), "ru": explanation.sentences("ru")},
    }
    with transaction.atomic():
        if attachment is not None:
            submission.attachment.save(attachment.name or "attachment.pdf", attachment, save=False)
        try:
            with transaction.atomic():
                submission.save()
        except IntegrityError:
            raise Conflict("call", "one_per_candidate", gettext("You have already submitted to this call.")) from None
        audit.record(
            actor,
            "submission.create",
            submission,
            chain=call_chain(call),
            fields=["title", "abstract", "institution", "country", "eligibility_inputs", "eligible", "attachment"],
        )
    return submission


# --- declarations and conflicts --------------------------------------------------------------------------------------


def declare(
    actor: Any, call_id: int, *, kind: str, person_email: str, year: int | None = None, note: str = ""
) -> Declaration:
    """A panel reviewer declares a conflict or a co-authorship (with its year) with a person named by e-mail."""
    require_role(actor, Role.REVIEWER)
    call = _call(call_id)
    if not PanelMember.objects.filter(call=call, reviewer=actor).exists():
        raise NotFound("call")
    declaration = Declaration(
        call=call, reviewer=actor, kind=kind, person_email=person_email.strip().lower(), year=year, note=note.strip()
    )
    errors = validation_errors(declaration, exclude=["call", "reviewer"])
    if kind == DeclarationKind.COAUTHORSHIP and year is None and not any(e.field == "year" for e in errors):
        errors.append(FieldError("year", "required", gettext("Give the year of the co-authorship.")))
    if year is not None and year > timezone.localdate().year:
        errors.append(FieldError("year", "not_future", gettext("The year cannot be in the future.")))
    _refuse_if(errors)
    with transaction.atomic():
        declaration.save()
        audit.record(
            actor,
            "declaration.create",
            declaration,
            chain=call_chain(call),
            fields=["kind", "person_email", "year", "note"],
        )
    return declaration


def _same(a: str, b: str) -> bool:
    return " ".join(a.casefold().split()) == " ".join(b.casefold().split())


def conflict_reasons(
    call: Call, member: PanelMember, submission: Submission, declarations: Sequence[Declaration]
) -> list[dict[str, str]]:
    """Every reason ``member`` may not review ``submission`` under the call's rules (empty: no conflict).

    Each is a code with its parameters as text (``{"code": "same_country", "country": "BR"}``), worded in the
    reader's language by :mod:`talentgate.competitions.wording`; the API returns them as they are.
    """
    reasons: list[dict[str, str]] = []
    if submission.candidate_id == member.reviewer_id:
        reasons.append({"code": "self"})
    if _same(member.institution, submission.institution):
        reasons.append({"code": "same_institution", "institution": submission.institution})
    email = submission.candidate.email.lower()
    cutoff = call.opens_on.year - call.coauthorship_years
    for d in declarations:
        if d.reviewer_id != member.reviewer_id or d.person_email != email:
            continue
        if d.kind == DeclarationKind.CONFLICT:
            reasons.append({"code": "declared", "note": d.note})
        elif d.year is not None and d.year >= cutoff:
            reasons.append({"code": "coauthorship", "year": str(d.year), "years": str(call.coauthorship_years)})
    if call.same_country_conflict and member.country == submission.country:
        reasons.append({"code": "same_country", "country": submission.country})
    return reasons


def detect_conflicts(actor: Any, call_id: int) -> list[ConflictOfInterest]:
    """Recompute and record every panel/submission conflict of a call, with reasons (programme staff)."""
    require_role(actor, *STAFF)
    call = _call(call_id)
    return _detect(actor, call)


def _detect(actor: Any, call: Call) -> list[ConflictOfInterest]:
    members = list(call.panel.select_related("reviewer"))
    submissions = list(call.submissions.select_related("candidate"))
    declarations = list(call.declarations.all())
    found = [
        ConflictOfInterest(call=call, reviewer_id=m.reviewer_id, submission=s, reasons=reasons)
        for s in submissions
        for m in members
        if (reasons := conflict_reasons(call, m, s, declarations))
    ]
    with transaction.atomic():
        ConflictOfInterest.objects.filter(call=call).delete()
        ConflictOfInterest.objects.bulk_create(found)
        audit.record(
            actor,
            "call.conflicts_detect",
            call,
            chain=call_chain(call),
            fields=["conflicts"],
            reason=f"{len(found)} conflicts",
        )
    return found


# --- assignment ------------------------------------------------------------------------------------------------------


def _english_summary(result: Assignment) -> str:
    with translation.override(settings.LANGUAGE_CODE):
        return wording.run_summary(
            feasible=result.feasible,
            assigned=len(result.pairs),
            max_load=result.max_load,
            lower_bound=result.lower_bound,
            uncovered=len(result.uncovered),
        )


def run_assignment(actor: Any, call_id: int) -> AssignmentRun:
    """Detect conflicts, then assign k conflict-free reviewers per eligible submission at the smallest largest load.

    Refused once a review has been written (the assignment it was written under must stay). The run is stored with
    the core's explanation; an infeasible instance is stored too, naming the submissions that cannot be covered.
    """
    require_role(actor, *STAFF)
    call = _call(call_id)
    if Review.objects.filter(assignment__call=call).exists():
        raise Conflict("call", "reviews_started", gettext("Reviews have started; the assignment can no longer change."))
    members = list(call.panel.order_by("pk"))
    submissions = list(call.submissions.filter(eligible=True).order_by("submitted_at", "pk"))
    if not members:
        raise ValidationFailed.single("panel", "required", gettext("Put reviewers on the panel first."))
    if not submissions:
        raise ValidationFailed.single("submissions", "required", gettext("There is no eligible submission to assign."))
    with transaction.atomic():
        conflicts = _detect(actor, call)
        s_index = {s.pk: i for i, s in enumerate(submissions)}
        r_index = {m.reviewer_id: j for j, m in enumerate(members)}
        conflicted = np.zeros((len(submissions), len(members)), dtype=bool)
        reasons: dict[tuple[int, int], list[str]] = {}
        for c in conflicts:
            if c.submission_id in s_index:
                key = (s_index[c.submission_id], r_index[c.reviewer_id])
                conflicted[key] = True
                reasons[key] = [r["code"] for r in c.reasons]
        result = assign_reviewers(
            AssignmentProblem(
                conflicted=conflicted, reviews_per_submission=call.reviews_per_submission, conflict_reasons=reasons
            )
        )
        ReviewAssignment.objects.filter(call=call).delete()
        run = AssignmentRun.objects.create(
            call=call,
            run_by=actor,
            feasible=result.feasible,
            max_load=result.max_load,
            lower_bound=result.lower_bound,
            # The record keeps the sentence in the site's language; pages word it for their reader (wording.py).
            summary=_english_summary(result),
            uncovered=[
                {
                    "submission_id": submissions[u.submission].pk,
                    "assigned": u.assigned,
                    "eligible_reviewers": u.eligible_reviewers,
                    "code": u.code,
                    "reviewers": u.reviewers,
                    "needed": u.needed,
                    "capacity": u.capacity,
                }
                for u in result.uncovered
            ],
            exclusions=[
                {
                    "submission_id": submissions[e.submission].pk,
                    "reviewer_id": members[e.reviewer].reviewer_id,
                    "reasons": list(e.reasons),
                }
                for e in result.exclusions
            ],
        )
        ReviewAssignment.objects.bulk_create(
            ReviewAssignment(
                run=run,
                call=call,
                reviewer_id=members[e.reviewer].reviewer_id,
                submission=submissions[e.submission],
                reason=e.code,
            )
            for e in result.explanations
        )
        audit.record(actor, "call.assign", run, chain=call_chain(call), fields=["assignments"], reason=run.summary)
    return run


# --- reviews -----------------------------------------------------------------------------------------------------------


def validate_scores(call: Call, scores: Mapping[str, Any]) -> tuple[dict[str, float], list[FieldError]]:
    """Scores checked per criterion: each criterion scored, a number, within its range; unknown codes refused."""
    errors: list[FieldError] = []
    clean: dict[str, float] = {}
    criteria = list(call.criteria.all())
    for criterion in criteria:
        field = f"scores.{criterion.code}"
        raw = scores.get(criterion.code)
        if raw is None or raw == "":
            errors.append(
                FieldError(field, "required", gettext("Score the criterion '%(label)s'.") % {"label": criterion.label})
            )
            continue
        try:
            value = Decimal(str(raw))
            if not value.is_finite():
                raise InvalidOperation
        except InvalidOperation:
            errors.append(
                FieldError(
                    field, "number", gettext("The score of '%(label)s' must be a number.") % {"label": criterion.label}
                )
            )
            continue
        if not criterion.min_score <= value <= criterion.max_score:
            errors.append(
                FieldError(
                    field,
                    "range",
                    gettext("The score of '%(label)s' must be between %(low)s and %(high)s.")
                    % {"label": criterion.label, "low": criterion.min_score, "high": criterion.max_score},
                )
            )
            continue
        clean[criterion.code] = float(value)
    for code in sorted(set(scores) - {c.code for c in criteria}):
        errors.append(FieldError(f"scores.{code}", "unknown", gettext("The rubric has no criterion with this code.")))
    return clean, errors


def submit_review(
    actor: Any, submission_id: int, *, scores: Mapping[str, Any], comment: str = "", today: dt.date | None = None
) -> Review:
    """An assigned reviewer scores a submission (or revises the scores) until the review deadline."""
    require_role(actor, Role.REVIEWER)
    assignment = (
        ReviewAssignment.objects.select_related("call").filter(reviewer=actor, submission_id=submission_id).first()
    )
    if assignment is None:
        raise NotFound("submission")
    call = assignment.call
    if (today or timezone.localdate()) > call.review_deadline:
        raise Conflict("call", "review_deadline", gettext("The review deadline has passed."))
    clean, errors = validate_scores(call, scores)
    _refuse_if(errors)
    with transaction.atomic():
        review, created = Review.objects.update_or_create(
            assignment=assignment, defaults={"scores": clean, "comment": comment.strip()}
        )
        audit.record(
            actor,
            "review.create" if created else "review.update",
            review,
            chain=call_chain(call),
            fields=["scores", "comment"],
        )
    return review


# --- awards ------------------------------------------------------------------------------------------------------------


def make_award(actor: Any, call_id: int, submission_id: int, *, mobility_slot: str = "") -> Award:
    """Award a ranked submission: opens a relocation case through the cases service, or records a mobility slot."""
    from talentgate.cases.services import open_case_from_award
    from talentgate.competitions.selectors import panel_ranking

    require_role(actor, *STAFF)
    call = _call(call_id)
    ranking = {row.submission.pk: row for row in panel_ranking(actor, call.pk)}
    row = ranking.get(int(submission_id)) if str(submission_id).isdigit() else None
    if row is None:
        raise ValidationFailed.single(
            "submission_id", "ranked", gettext("Only a reviewed, eligible submission of this call can be awarded.")
        )
    if Award.objects.filter(submission_id=row.submission.pk).exists():
        raise Conflict("submission_id", "unique", gettext("This submission already has an award."))
    if Award.objects.filter(call=call).count() >= call.award_count:
        raise Conflict(
            "call", "award_count", gettext("All %(count)s awards of this call are made.") % {"count": call.award_count}
        )
    award = Award(call=call, submission=row.submission, rank=row.rank, outcome=call.award_outcome, awarded_by=actor)
    if call.award_outcome == AwardOutcome.MOBILITY_SLOT:
        if not mobility_slot.strip():
            raise ValidationFailed.single(
                "mobility_slot", "required", gettext("Name the mobility slot the award takes.")
            )
        award.mobility_slot = mobility_slot.strip()
    profile = getattr(row.submission.candidate, "profile", None)
    if call.award_outcome == AwardOutcome.RELOCATION_CASE and profile is None:
        raise ValidationFailed.single(
            "submission_id", "profile", gettext("The candidate has no profile to open a case for.")
        )
    with transaction.atomic():
        if call.award_outcome == AwardOutcome.RELOCATION_CASE:
            assert profile is not None  # refused above when missing
            # The case needs the award's id, so the row is saved first with a placeholder slot and then linked.
            award.mobility_slot = "pending-case"
            award.save()
            case = open_case_from_award(
                actor,
                profile_id=profile.pk,
                kind=call.case_kind,
                award=award,
                award_reference=f"call {call.pk} award {award.rank}",
            )
            award.case_id = case.pk
            award.mobility_slot = ""
            award.save(update_fields=["case_id", "mobility_slot"])
        else:
            award.save()
        audit.record(
            actor,
            "award.create",
            award,
            chain=call_chain(call),
            fields=["submission", "rank", "outcome", "case_id", "mobility_slot"],
        )
    return award
