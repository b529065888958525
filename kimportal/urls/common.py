"""Routes every kind of host serves."""

from django.conf import settings
from django.conf.urls.static import static
from django.urls import include, path

from kimportal import views

common_patterns = [
    path("i18n/", include("django.conf.urls.i18n")),
    path("healthz", views.healthz, name="healthz"),
    # Public media on disk in development; in production the bucket or the web server serves it.
    *static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT),
]
