"""Periodic work of relocation cases (read by talentgate.common.schedule): SLA escalation and daily reminders."""

from datetime import timedelta

from talentgate.common.schedule import DAILY, HOURLY, every

# Hourly: a stage deadline passes at any hour, and supervisors should hear of it the same working day.
every(HOURLY, "talentgate.cases.sla.escalate_overdue_cases_task")
# Daily, early morning UTC (before the working day in the programme's time zones): the reminders count days.
every(DAILY, "talentgate.cases.tasks.warn_expiring_documents_task", offset=timedelta(hours=5))
every(DAILY, "talentgate.cases.tasks.remind_permit_renewals_task", offset=timedelta(hours=5))
every(DAILY, "talentgate.cases.requests.remind_information_requests_due_task", offset=timedelta(hours=5))
