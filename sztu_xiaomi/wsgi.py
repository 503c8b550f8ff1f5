"""WSGI entry point (gunicorn sztu_xiaomi.wsgi)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "sztu_xiaomi.settings")
application = get_wsgi_application()
