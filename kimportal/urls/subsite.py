"""One KIM's subsite: <slug>.PORTAL_DOMAIN (request.site.community is the KIM)."""

from django.urls import include, path

from kimportal.urls import discovery
from kimportal.urls.common import common_patterns

urlpatterns = [
    *discovery.SUBSITE,
    path("", include("communities.urls.subsite")),
    path("kabar/", include("posts.urls.public")),
    path("cari/", include("posts.urls.search_subsite")),
    path("aspirasi/", include("aspirations.urls.subsite")),
    path("", include("stats.urls")),
    *common_patterns,
]
