"""Periodic work of the authority hand-off (read by talentgate.common.schedule): the sweep of due pushes."""

from talentgate.common.schedule import EVERY_5_MINUTES, every

# Every 5 minutes: the sweep catches pushes whose deferred retry a backend without defer could not hold.
every(EVERY_5_MINUTES, "talentgate.authority.tasks.retry_due_pushes")
