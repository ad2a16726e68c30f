"""ASGI entry point (the platform is served by gunicorn's WSGI workers today; this is for ASGI servers)."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "halalmsi.settings")
application = get_asgi_application()
