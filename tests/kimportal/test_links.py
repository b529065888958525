from kimportal.lib.hosts import SiteKind
from kimportal.lib.links import kelola_url, portal_url, site_url


def test_links_carry_scheme_domain_and_port(settings):
    settings.PORTAL_SCHEME = "http"
    settings.PORTAL_PORT = 8000
    assert portal_url("regions:province", "aceh") == "http://localhost:8000/wilayah/aceh/"
    assert kelola_url("accounts:login") == "http://kelola.localhost:8000/masuk/"
    assert site_url(SiteKind.COMMUNITY, "/profil/", slug="kim-a") == (
        "http://kim-a.localhost:8000/profil/"
    )


def test_default_port_is_left_out(settings):
    settings.PORTAL_DOMAIN = "kim.id"
    settings.PORTAL_SCHEME = "https"
    settings.PORTAL_PORT = 443
    assert portal_url("home") == "https://kim.id/"
    settings.PORTAL_PORT = None
    assert kelola_url("accounts:login") == "https://kelola.kim.id/masuk/"
