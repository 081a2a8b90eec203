"""Date and number formats per language that differ from Django's own (``FORMAT_MODULE_PATH``).

Templates name a format (``SHORT_DATE_FORMAT``), never a pattern, so each language gets its own: Russian
keeps Django's (``24.11.2026``); English uses ISO 8601 day order (``2026-11-24``) instead of Django's US
``11/24/2026``, since the programme's English readers are international.
"""
