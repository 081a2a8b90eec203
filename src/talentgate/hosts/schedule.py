"""Periodic work of the hosts domain (read by talentgate.common.schedule): lapsing expired offers hourly."""

from talentgate.common.schedule import HOURLY, every

# Hourly: an offer's expiry is a date-time, and a lapsed offer frees the candidate for other matches.
every(HOURLY, "talentgate.hosts.tasks.lapse_expired_offers")
