"""Routes every kind of host serves."""

from django.conf import settings
from django.conf.urls.static import static
from django.urls import path

from kimportal import views

common_patterns = [
    # A plain link (GET) switches the language, so read-only pages carry no form and no CSRF cookie.
    path("bahasa/<slug:code>/", views.switch_language, name="language"),
    path("healthz", views.healthz, name="healthz"),
    path("readyz", views.readyz, name="readyz"),
    # Public media on disk in development; in production the bucket or the web server serves it.
    *static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT),
]
