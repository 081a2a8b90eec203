"""English formats: ISO 8601 day order for short dates (Django's "en" default is the US month/day/year)."""

SHORT_DATE_FORMAT = "Y-m-d"
SHORT_DATETIME_FORMAT = "Y-m-d H:i"
