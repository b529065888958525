import pytest

from accounts.models import User
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def test_sign_in_on_kelola_then_dashboard_greets_by_name(client):
    make_user("siti@example.id", full_name="Siti Aminah")
    response = client.post(
        "/masuk/", {"username": "Siti@Example.id", "password": "rahasia-kim-123"}, kelola=True
    )
    assert response.status_code == 302
    assert response["Location"] == "/"
    dashboard = client.get("/", kelola=True)
    assert "Selamat datang, Siti Aminah!" in dashboard.content.decode()


def test_wrong_password_keeps_the_email_and_explains_in_bahasa_indonesia(client):
    make_user("siti@example.id")
    response = client.post(
        "/masuk/", {"username": "siti@example.id", "password": "salah"}, kelola=True
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert 'value="siti@example.id"' in body
    assert "Email atau kata sandi salah" in body


def test_dashboard_requires_sign_in(client):
    response = client.get("/", kelola=True)
    assert response.status_code == 302
    assert response["Location"].startswith("/masuk/?next=/")


def test_sign_out_is_a_post(client):
    user = make_user("siti@example.id")
    client.force_login(user)
    response = client.post("/keluar/", kelola=True)
    assert response.status_code == 302
    assert client.get("/", kelola=True).status_code == 302


def test_passwords_are_hashed_with_argon2_in_production_settings():
    from kimportal import settings as production_settings

    assert production_settings.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")


def test_emails_are_unique_regardless_of_case():
    make_user("siti@example.id")
    with pytest.raises(Exception):  # noqa: B017 - IntegrityError, wrapped differently per backend
        User.objects.create_user("SITI@example.id", "x")


def test_admin_lists_regions_read_only(client, regions):
    operator = make_user("ops@example.id", is_staff=True, is_superuser=True)
    client.force_login(operator)
    response = client.get("/admin/regions/village/", kelola=True)
    assert response.status_code == 200
    assert "Ketabang" in response.content.decode()
    assert client.get("/admin/regions/village/add/", kelola=True).status_code == 403
    assert client.get("/admin/", host="localhost").status_code == 404
