"""Deleting one's account (/akun/hapus/): refused while a KIM or the nation would be left without
an admin; otherwise nothing personal is left anywhere (every text and JSON column of every
table, every session, every media file), while the KIM's posts stay public, attributed to it."""

import json
import os
from pathlib import Path

import pytest
from axes.models import AccessAttempt
from django.apps import apps
from django.conf import settings
from django.contrib.sessions.backends.cached_db import SessionStore
from django.contrib.sessions.models import Session
from django.core.cache import caches
from django.core.exceptions import ValidationError
from django.db import models

from accounts import personal_data
from accounts.models import StaffScope, User
from communities.models import Community, Role, VerificationEvent
from posts.models import Post, PostRevision
from tests.accounts.test_account_data import EMAIL, NAME, PASSWORD, PHONE, make_person
from tests.factories import make_staff
from tests.support import HostClient

pytestmark = pytest.mark.django_db

CONFIRM = {"password": PASSWORD, "confirmation": "HAPUS"}
TEXT_FIELDS = (models.CharField, models.TextField, models.JSONField, models.FileField)


def every_stored_text() -> list[tuple[str, str]]:
    """(table.column, value) of every text, JSON and file column of every table, and the
    decoded data of every session."""
    found = []
    for model in apps.get_models(include_auto_created=True):
        fields = [f for f in model._meta.concrete_fields if isinstance(f, TEXT_FIELDS)]
        if not fields:
            continue
        for row in model._base_manager.values_list(*[f.attname for f in fields]):
            for field, value in zip(fields, row, strict=True):
                text = value if isinstance(value, str) else json.dumps(value, default=str)
                found.append((f"{model._meta.db_table}.{field.column}", text))
    for session in Session.objects.all():
        found.append(("session data", json.dumps(SessionStore().decode(session.session_data))))
    return found


def every_media_file() -> list[tuple[str, str]]:
    found = []
    for root in (settings.MEDIA_ROOT, settings.PRIVATE_MEDIA_ROOT):
        for folder, _dirs, names in os.walk(root):
            for name in names:
                path = Path(folder) / name
                found.append((str(path), str(path) + path.read_bytes().decode(errors="replace")))
    return found


def assert_nowhere(*needles: str, where: list[tuple[str, str]]) -> None:
    for place, text in where:
        for needle in needles:
            assert needle.lower() not in text.lower(), (needle, place)


@pytest.fixture
def person(world):
    return make_person(world)


def test_the_trace_finders_find_the_person_before_deletion(person):
    """The checks below are worth something only if they see the data while it is there."""
    stored = every_stored_text()
    for needle in (EMAIL, NAME, PHONE):
        assert any(needle.lower() in text.lower() for _place, text in stored), needle
    places = {place for place, text in stored if EMAIL in text}
    assert {"accounts_user.email", "communities_invitation.email", "axes_accessattempt.username",
            "aspirations_aspirasi.contact_email", "communities_community.email",
            "kimportal_outboxtask.kwargs"} <= places  # fmt: skip
    assert any(NAME in text for _place, text in every_media_file())


def test_deleting_leaves_no_personal_data_and_keeps_the_posts(
    client, person, world, django_capture_on_commit_callbacks
):
    user_pk = person.user.pk
    keys = [person.phone.session.session_key, person.laptop.session.session_key]
    page = person.phone.get("/akun/hapus/", kelola=True).content.decode()
    assert "KIM Sumbersekar Lestari" in page  # the open sign-up that goes with the account
    with django_capture_on_commit_callbacks(execute=True):
        response = person.phone.post("/akun/hapus/", CONFIRM, kelola=True)
    assert response.status_code == 302 and response["Location"] == "/masuk/"
    assert "Akun Anda dan data pribadi Anda sudah dihapus" in (
        person.phone.get("/masuk/", kelola=True).content.decode()
    )

    assert not User.objects.filter(pk=user_pk).exists()
    assert_nowhere(EMAIL, NAME, PHONE, where=every_stored_text())
    assert_nowhere(EMAIL, NAME, PHONE, where=every_media_file())
    # Signed out everywhere, for real: no session of hers is left, in the database or the cache.
    assert not Session.objects.filter(session_key__in=keys).exists()
    assert not any(caches["default"].get(SessionStore(session_key=k).cache_key) for k in keys)
    for browser in (person.phone, person.laptop):
        assert browser.get("/akun/", kelola=True).status_code == 302
    # The KIM's posts stay, by the KIM; her draft sign-up is gone.
    post = Post.objects.get(pk=person.post.pk)
    assert post.author_id is None and Post.objects.get(pk=person.draft.pk).author_id is None
    assert PostRevision.objects.get(pk=person.revision.pk).author_id is None
    assert not Community.objects.filter(slug="kim-sumbersekar").exists()
    kim = {"host": "kim-ketabang.localhost"}
    detail = client.get(f"/kabar/{post.slug}/", **kim)
    feed = client.get("/feed/", **kim)
    api = client.get("/api/v1/kabar")
    for response in (detail, feed, api):
        body = response.content.decode()
        assert response.status_code == 200 and "Panen raya Ketabang" in body
        assert NAME not in body and EMAIL not in body and PHONE not in body
    assert "KIM Ketabang Maju" in detail.content.decode()
    # Nobody else lost anything.
    assert Role.objects.filter(community=world.kim_a).count() == 3
    assert world.kim_a.members.count() == 10


def test_deleting_a_staff_account_removes_its_scopes_and_keeps_its_decisions(world):
    staff = make_staff("diskominfo.baru@example.id", "regency", regency=world.regions.surabaya)
    event = VerificationEvent.objects.create(community=world.kim_a, action="verified", actor=staff)
    personal_data.account_delete(actor=staff, user=staff)
    assert not StaffScope.objects.filter(user_id=staff.pk).exists()
    event.refresh_from_db()
    assert event.actor_id is None and event.action == "verified"


def test_the_only_admin_of_a_live_kim_must_hand_it_over_first(world):
    browser = HostClient()
    browser.force_login(world.a_admin)
    page = browser.get("/akun/hapus/", kelola=True).content.decode()
    assert "Anda satu-satunya admin KIM Ketabang Maju" in page
    assert "/kim/kim-ketabang/peran/" in page
    assert 'name="confirmation"' not in page
    response = browser.post("/akun/hapus/", CONFIRM, kelola=True)
    assert response.status_code == 200
    assert User.objects.filter(pk=world.a_admin.pk).exists()
    with pytest.raises(ValidationError, match="satu-satunya admin KIM Ketabang Maju"):
        personal_data.account_delete(actor=world.a_admin, user=world.a_admin)
    # A second admin lifts the refusal; a suspended KIM still needs one.
    Role.objects.filter(user=world.a_editor).update(role="admin")
    assert personal_data.account_deletion_blockers(world.a_admin) == []
    Role.objects.filter(user=world.a_editor).update(role="editor")
    Community.objects.filter(pk=world.kim_a.pk).update(status="suspended")
    assert len(personal_data.account_deletion_blockers(world.a_admin)) == 1


def test_the_last_national_admin_cannot_leave(world):
    [blocker] = personal_data.account_deletion_blockers(world.national_admin)
    assert "satu-satunya admin nasional" in blocker.message
    make_staff("kemkomdigi.dua@example.id", "national")
    assert personal_data.account_deletion_blockers(world.national_admin) == []


def test_a_wrong_password_or_confirmation_deletes_nothing_and_keeps_what_was_typed(world):
    browser = HostClient()
    browser.force_login(world.a_editor)
    response = browser.post(
        "/akun/hapus/", {"password": "salah", "confirmation": "hapus dong"}, kelola=True
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Kata sandi salah" in page and "Ketik HAPUS (huruf besar)" in page
    assert 'value="hapus dong"' in page
    assert 'aria-describedby="id_password_error"' in page
    assert User.objects.filter(pk=world.a_editor.pk).exists()
    assert AccessAttempt.objects.filter(username="a-editor@example.id").exists()


def test_only_the_person_may_delete_their_account(world):
    with pytest.raises(PermissionError):
        personal_data.account_delete(actor=world.a_admin, user=world.a_editor)
    assert User.objects.filter(pk=world.a_editor.pk).exists()
    anonymous = HostClient().post("/akun/hapus/", CONFIRM, kelola=True)
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/masuk/")
