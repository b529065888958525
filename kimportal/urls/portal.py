"""The national portal: PORTAL_DOMAIN and www.PORTAL_DOMAIN."""

from django.urls import include, path

from kimportal import views
from kimportal.urls import discovery
from kimportal.urls.common import common_patterns
from opendata.api import api as read_api

urlpatterns = [
    *discovery.PORTAL,
    path("", views.home, name="home"),
    path("wilayah/", include("regions.urls")),
    path("kim/", include("communities.urls.directory")),
    path("cari/", include("posts.urls.search_portal")),
    path("siaran/", include("siaran.urls.portal")),
    path("aspirasi/", include("aspirations.urls.portal")),
    path("hoaks/", include("posts.urls.hoaks")),
    path("umkm/", include("posts.urls.umkm")),
    path("panduan/", include("guides.urls")),
    path("statistik/", include("stats.urls_portal")),
    path("data/", include("opendata.urls")),
    path("privasi/", views.privacy, name="privacy"),
    path("api/v1/", read_api.urls),
    *common_patterns,
]
