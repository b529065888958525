import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kimportal.settings")
django_application = get_wsgi_application()

from kimportal.lib.page_cache import FastPath  # noqa: E402 - needs the settings configured

# Cached public pages are answered before Django's request handling (see page_cache.FastPath).
application = FastPath(django_application)
