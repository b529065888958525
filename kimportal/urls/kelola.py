"""The management host: kelola.PORTAL_DOMAIN."""

from django.contrib import admin
from django.urls import include, path

from kimportal.urls.common import common_patterns

urlpatterns = [
    path("", include("accounts.urls")),
    path("admin/", admin.site.urls),
    *common_patterns,
]
