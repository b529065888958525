"""One KIM's subsite: <slug>.PORTAL_DOMAIN."""

from kimportal.urls.common import common_patterns

urlpatterns = [
    *common_patterns,
]
