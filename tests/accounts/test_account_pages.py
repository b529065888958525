"""Every page of one's own account and of the password reset is valid HTML (Nu HTML Checker)
with no inline script or style, and extends the kelola base."""

import re

import pytest
from django.core import mail

from tests.factories import make_user
from tests.support import HostClient
from tests.test_html_valid import validate

pytestmark = pytest.mark.django_db


def test_every_account_and_reset_page_is_valid_html(
    world, tmp_path, django_capture_on_commit_callbacks
):
    kelola = {"kelola": True}
    anonymous = HostClient()
    pages = {
        "reset form": anonymous.get("/lupa-kata-sandi/", **kelola),
        "reset refused": None,
        "reset sent": anonymous.get("/lupa-kata-sandi/terkirim/", **kelola),
        "reset forged link": anonymous.get("/lupa-kata-sandi/MQ/palsu/", **kelola),
        "reset complete": anonymous.get("/lupa-kata-sandi/selesai/", **kelola),
    }
    make_user("siti@example.id", full_name="Siti Aminah")
    with django_capture_on_commit_callbacks(execute=True):
        anonymous.post("/lupa-kata-sandi/", {"email": "siti@example.id"}, **kelola)
    link = re.search(r"/lupa-kata-sandi/[\w-]+/[\w-]+/", mail.outbox[0].body).group(0)
    form_url = anonymous.get(link, **kelola)["Location"]
    pages["reset new password"] = anonymous.post(
        form_url, {"new_password1": "a", "new_password2": "b"}, **kelola
    )
    pages["reset refused"] = anonymous.post("/lupa-kata-sandi/", {"email": "bukan email"}, **kelola)
    editor = HostClient(HTTP_USER_AGENT="Mozilla/5.0 (Linux; Android 14) Chrome/131.0 Mobile")
    editor.force_login(world.a_editor)
    pages["account"] = editor.get("/akun/", **kelola)
    pages["password change, refused"] = editor.post(
        "/akun/kata-sandi/", {"old_password": "salah"}, **kelola
    )
    pages["delete, refused"] = editor.post("/akun/hapus/", {"confirmation": "x"}, **kelola)
    admin = HostClient()
    admin.force_login(world.a_admin)
    pages["delete, must hand over"] = admin.get("/akun/hapus/", **kelola)
    html = {}
    for label, response in pages.items():
        assert response.status_code == 200, label
        page = response.content.decode()
        assert "<style" not in page and " style=" not in page and "<script>" not in page, label
        assert 'class="site-nav"' in page, label  # base_kelola.html
        html[label] = page
    assert validate(html, tmp_path) == []


def test_the_account_page_leads_to_two_step_sign_in(world):
    editor = HostClient()
    editor.force_login(world.a_editor)
    page = editor.get("/akun/", kelola=True).content.decode()
    assert 'href="/dua-langkah/"' in page
