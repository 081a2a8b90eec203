"""URLs of the assessment pages, included under ``/assessment/`` in the ``portal:assessment`` namespace."""

from __future__ import annotations

from django.urls import path

from talentgate.portal.assessment import views

app_name = "assessment"

urlpatterns = [
    path("my-scores/", views.my_scores, name="my_scores"),
    path("qualify/", views.where_qualify, name="qualify"),
    path("applications/<int:application_id>/", views.application_assessment, name="application"),
    path("applications/<int:application_id>/assess/", views.assess_now, name="assess"),
    path("compare/<str:external_id>/", views.compare_profile, name="compare"),
    path("policies/", views.policy_list, name="policies"),
    path("policies/new/", views.policy_create, name="policy_create"),
    path("policies/validate/", views.policy_validate, name="policy_validate"),
    path("policies/<int:version_id>/", views.policy_detail, name="policy"),
    path("policies/<int:version_id>/review/", views.policy_review, name="policy_review"),
    path("policies/<int:version_id>/impact/", views.policy_impact, name="policy_impact"),
    path("policies/<int:version_id>/publish/", views.policy_publish, name="policy_publish"),
    path("policies/<int:version_id>/retire/", views.policy_retire, name="policy_retire"),
    path("programmes/<int:programme_id>/reassess/", views.reassess, name="reassess"),
    path("programmes/<int:programme_id>/policy/", views.programme_policy, name="programme_policy"),
    path("jobs/<int:job_id>/", views.job_progress, name="job"),
    path("rounds/", views.round_list, name="rounds"),
    path("rounds/new/", views.round_define, name="round_define"),
    path("rounds/<int:round_id>/", views.round_detail, name="round"),
    path("rounds/<int:round_id>/preview/", views.round_preview, name="round_preview"),
    path("rounds/<int:round_id>/approve/", views.round_approve, name="round_approve"),
    path("rounds/<int:round_id>/run/", views.round_run, name="round_run"),
    path("rounds/<int:round_id>/fairness/", views.round_fairness, name="round_fairness"),
]
