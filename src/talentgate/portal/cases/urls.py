"""URLs of the relocation-case pages, included by the portal under /cases/ (namespace ``portal:cases``)."""

from __future__ import annotations

from django.urls import path

from talentgate.portal.cases import views

app_name = "cases"

urlpatterns = [
    path("", views.case_list, name="list"),
    path("bulk/", views.bulk_action, name="bulk"),
    path("<int:case_id>/", views.case_detail, name="case"),
    path("<int:case_id>/transitions/<slug:name>/", views.run_transition, name="transition"),
    path("<int:case_id>/checklist/<int:item_id>/complete/", views.complete_item, name="complete_item"),
    path("<int:case_id>/documents/", views.upload_document, name="upload_document"),
    path("<int:case_id>/documents/<int:document_id>/file/", views.document_file, name="document_file"),
    path("<int:case_id>/documents/<int:document_id>/verify/", views.verify_document, name="verify_document"),
    path("<int:case_id>/documents/<int:document_id>/reject/", views.reject_document, name="reject_document"),
    path("<int:case_id>/reveal/", views.reveal, name="reveal"),
    path("<int:case_id>/requests/", views.ask, name="ask"),
    path("<int:case_id>/requests/<int:request_id>/answer/", views.answer, name="answer"),
    path("<int:case_id>/requests/<int:request_id>/withdraw/", views.withdraw_request, name="withdraw_request"),
    path("<int:case_id>/family/", views.add_family_member, name="add_family_member"),
    path(
        "<int:case_id>/family/<int:member_id>/identity-number/",
        views.set_identity_number,
        name="set_identity_number",
    ),
    path("<int:case_id>/permits/", views.record_family_permit, name="record_family_permit"),
    path("<int:case_id>/permits/<int:permit_id>/renewal/", views.renew_permit, name="renew_permit"),
    path("<int:case_id>/host-changes/", views.change_host, name="change_host"),
    path("<int:case_id>/messages/", views.post_message, name="message"),
    path("<int:case_id>/decisions/<int:decision_id>/reconsideration/", views.reconsider, name="reconsider"),
    path("<int:case_id>/decisions/<int:decision_id>/letter/", views.letter, name="letter"),
    path(
        "<int:case_id>/reconsiderations/<int:reconsideration_id>/review/",
        views.review_reconsideration,
        name="review_reconsideration",
    ),
    path("validate/<slug:form_key>/<slug:field_name>/", views.validate_field, name="validate"),
]
