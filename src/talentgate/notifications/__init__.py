"""Notifications: in-app messages and e-mails about what happened to a person's records, in their language."""
