import pytest

pytestmark = pytest.mark.django_db


def test_portal_host_serves_the_portal(client):
    response = client.get("/")
    assert response.status_code == 200
    assert response.wsgi_request.site.is_portal
    assert "Kelompok Informasi Masyarakat" in response.content.decode()


def test_www_serves_the_portal(client):
    assert client.get("/", host="www.localhost").status_code == 200


def test_kelola_host_uses_the_management_urlconf(client):
    response = client.get("/masuk/", kelola=True)
    assert response.status_code == 200
    assert response.wsgi_request.site.is_kelola
    # The portal has no sign-in route of its own.
    assert client.get("/masuk/").status_code == 404


@pytest.mark.parametrize("host", ["tidak-ada.localhost", "api.localhost", "a.b.localhost"])
def test_unknown_or_reserved_subsite_gets_the_friendly_404(client, host):
    response = client.get("/", host=host)
    assert response.status_code == 404
    body = response.content.decode()
    assert "Situs KIM ini tidak ditemukan" in body
    assert 'href="http://localhost:8000/"' in body


def test_host_outside_allowed_hosts_is_refused(client):
    assert client.get("/", host="example.com").status_code == 400


def test_unknown_page_gets_the_friendly_404_in_bahasa_indonesia(client):
    response = client.get("/tidak-ada/")
    assert response.status_code == 404
    assert "Halaman tidak ditemukan" in response.content.decode()


def test_healthz_answers_on_every_host(client):
    assert client.get("/healthz").content == b"ok"
    assert client.get("/healthz", kelola=True).content == b"ok"
