"""ASGI entry point for any ASGI server (uvicorn, daphne)."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "talentgate.settings.base")
application = get_asgi_application()
