"""The management host: kelola.PORTAL_DOMAIN."""

from django.contrib import admin
from django.urls import include, path

from kimportal.urls import discovery
from kimportal.urls.common import common_patterns

urlpatterns = [
    *discovery.KELOLA,
    path("", include("accounts.urls")),
    path("daftar/", include("communities.urls.signup")),
    path("verifikasi/", include("communities.urls.review")),
    path("", include("communities.urls.manage")),
    path("kim/<slug:slug>/tulisan/", include("posts.urls.editor")),
    path("moderasi/", include("posts.urls.moderation")),
    path("", include("siaran.urls.kelola")),
    path("", include("aspirations.urls.kelola")),
    path("", include("stats.urls_kelola")),
    path("", include("audit.urls")),
    path("admin/", admin.site.urls),
    *common_patterns,
]
