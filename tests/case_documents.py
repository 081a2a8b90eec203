"""Moving a relocation case past its document checks in tests: the suites of the case workflow, its API, its
portal pages and the browser journeys all need a case whose required documents are provided (and verified)."""

from __future__ import annotations

from datetime import date, timedelta

from django.utils import timezone

from talentgate.cases import services
from talentgate.cases.models import RelocationCase


def provide_documents(
    case: RelocationCase,
    uploader,
    *,
    verify_with=None,
    complete_tasks_with=None,
    for_arrival: bool | None = None,
    expires_on: date | None = None,
) -> None:
    """Upload every open required document of ``case`` as ``uploader``; then verify the pending ones as
    ``verify_with`` and tick the open required tasks (items without a document) as ``complete_tasks_with``,
    each only when given. ``for_arrival`` narrows to the items due before the arrival (True) or to the others
    (False); None takes them all."""
    items = case.checklist.filter(required=True, completed_at__isnull=True)
    if for_arrival is not None:
        arrival = {"due_before": "record_arrival"}
        items = items.filter(**arrival) if for_arrival else items.exclude(**arrival)
    for item in items:
        if not item.document_kind:
            if complete_tasks_with is not None:
                services.complete_item(complete_tasks_with, case.pk, item.pk)
            continue
        services.add_document(
            uploader,
            case.pk,
            kind=item.document_kind,
            family_member_id=item.family_member_id,
            file_name=f"{item.code}.pdf",
            expires_on=expires_on or timezone.localdate() + timedelta(days=700),
        )
    if verify_with is not None:
        for document in case.documents.filter(status="pending"):
            services.verify_document(verify_with, document.pk)
