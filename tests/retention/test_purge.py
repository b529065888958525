"""Retention (kimportal.retention): personal data past its period is deleted, files included;
everything younger, or in another state, is kept; running twice is harmless."""

import logging
from datetime import timedelta
from pathlib import Path

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from aspirations.models import Aspirasi
from communities.models import Community, Invitation, Member
from kimportal import retention, tasks
from kimportal.lib.storage import private_storage
from tests.aspirations.helpers import CONTACT, EMAIL, NAME, PHONE, make_aspirasi
from tests.factories import make_community

pytestmark = pytest.mark.django_db

NOTHING = {rule.name: 0 for rule in retention.RULES}


def days_ago(days: float):
    return timezone.now() - timedelta(days=days)


def on_disk(field) -> Path:
    return Path(field.storage.path(field.name))


def signup(world, slug: str, status: str, *, idle_days: float, village=None) -> Community:
    """A sign-up with an SK scan on disk and a roster with phone numbers, untouched for
    `idle_days` (the factory stores no scan for a draft: it gets one here)."""
    community = make_community(
        village=village or world.regions.sumbersekar, slug=slug, status=status
    )
    if not community.sk_file:
        community.sk_file.save(f"sk-{slug}.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=True)
    Community.objects.filter(pk=community.pk).update(updated_at=days_ago(idle_days))
    community.refresh_from_db()
    return community


def contact_of(aspirasi: Aspirasi) -> tuple:
    aspirasi.refresh_from_db()
    return (
        aspirasi.contact_name,
        aspirasi.contact_phone,
        aspirasi.contact_email,
        aspirasi.sender_key,
        aspirasi.network_key,
    )


def aspiration(world, status: str, *, idle_days: float, **fields) -> Aspirasi:
    contact = {"contact_name": NAME, "contact_phone": PHONE, "contact_email": EMAIL}
    aspirasi = make_aspirasi(community=world.kim_a, status=status, **contact, **fields)
    Aspirasi.objects.filter(pk=aspirasi.pk).update(updated_at=days_ago(idle_days))
    return aspirasi


def with_photo(aspirasi: Aspirasi, photo_status: str) -> Aspirasi:
    aspirasi.photo.save(f"a-{aspirasi.pk}.upload", ContentFile(b"\xff\xd8 GPS"), save=False)
    private_storage().save(f"aspirasi-bersih/{aspirasi.pk}.jpg", ContentFile(b"clean"))
    updated_at = Aspirasi.objects.values_list("updated_at", flat=True).get(pk=aspirasi.pk)
    Aspirasi.objects.filter(pk=aspirasi.pk).update(
        photo=aspirasi.photo.name,
        photo_clean=f"aspirasi-bersih/{aspirasi.pk}.jpg",
        photo_status=photo_status,
        updated_at=updated_at,
    )
    aspirasi.refresh_from_db()
    return aspirasi


# --- Sign-ups ---------------------------------------------------------------------------------


def test_a_rejected_signup_loses_its_scan_and_phones_after_the_period(world):
    old = signup(world, "ditolak-lama", "rejected", idle_days=91)
    young = signup(world, "ditolak-baru", "rejected", idle_days=89, village=world.regions.kapasari)
    scan_old, scan_young = on_disk(old.sk_file), on_disk(young.sk_file)
    assert scan_old.exists() and scan_young.exists()

    counts = retention.personal_data_purge()

    assert counts["signup_rejected"] == 1
    old.refresh_from_db()
    assert not old.sk_file and not scan_old.exists()
    assert set(Member.objects.filter(community=old).values_list("phone", flat=True)) == {""}
    assert Member.objects.filter(community=old).count() == 10  # names stay
    assert old.sk_number and old.status == "rejected"
    young.refresh_from_db()
    assert young.sk_file and scan_young.exists()
    assert "" not in set(Member.objects.filter(community=young).values_list("phone", flat=True))


def test_live_pending_and_suspended_kims_keep_their_scans(world):
    kept = [
        signup(world, "menunggu", "pending", idle_days=400),
        signup(world, "dibekukan", "suspended", idle_days=400, village=world.regions.kapasari),
    ]
    Community.objects.filter(pk=world.kim_a.pk).update(updated_at=days_ago(400))
    kept.append(Community.objects.get(pk=world.kim_a.pk))

    counts = retention.personal_data_purge()

    assert counts["signup_rejected"] == counts["signup_abandoned"] == 0
    for community in kept:
        community.refresh_from_db()
        assert community.sk_file and on_disk(community.sk_file).exists(), community.slug
        assert not Member.objects.filter(community=community, phone="").exists()


def test_an_abandoned_draft_loses_its_scan_and_phones(world, settings):
    settings.RETENTION_REJECTED_SIGNUP_DAYS = 30
    old = signup(world, "draf-lama", "draft", idle_days=31)
    young = signup(world, "draf-baru", "draft", idle_days=29, village=world.regions.kapasari)
    scan = on_disk(old.sk_file)

    assert retention.personal_data_purge()["signup_abandoned"] == 1

    old.refresh_from_db(), young.refresh_from_db()
    assert not old.sk_file and not scan.exists()
    assert not Member.objects.filter(community=old).exclude(phone="").exists()
    assert young.sk_file and on_disk(young.sk_file).exists()


def test_a_signup_edited_since_it_was_picked_is_left_alone(world):
    """The applicant saves a step between the batch's read and the purge of their row."""
    community = signup(world, "sedang-diubah", "rejected", idle_days=120)
    candidates = retention._signups(Community.Status.REJECTED, timezone.now())
    assert list(candidates.values_list("pk", flat=True)) == [community.pk]
    community.save()  # updated_at is now

    assert retention._purge_signups(candidates, [community.pk]) == 0
    community.refresh_from_db()
    assert community.sk_file and on_disk(community.sk_file).exists()


def test_a_storage_failure_keeps_the_field_for_the_next_run(world, monkeypatch):
    community = signup(world, "gagal-hapus", "rejected", idle_days=120)
    scan = on_disk(community.sk_file)
    storage = type(private_storage()._wrapped)
    real_delete = storage.delete

    def unreachable(self, name):
        raise OSError("storage unreachable")

    monkeypatch.setattr(storage, "delete", unreachable)
    with pytest.raises(OSError):
        retention.personal_data_purge()
    community.refresh_from_db()
    assert community.sk_file and scan.exists()  # nothing pretends to be deleted

    monkeypatch.setattr(storage, "delete", real_delete)
    assert retention.personal_data_purge()["signup_rejected"] == 1
    community.refresh_from_db()
    assert not community.sk_file and not scan.exists()


# --- Aspirations --------------------------------------------------------------------------------


@pytest.mark.parametrize("status", ["ditanggapi", "ditutup", "ditarik", "digabung"])
def test_a_finished_aspiration_loses_its_contact_after_the_period(world, status):
    old = aspiration(world, status, idle_days=181)
    young = aspiration(world, status, idle_days=179)

    assert retention.personal_data_purge()["aspiration_contacts"] == 1

    assert contact_of(old) == ("", "", "", "", "")
    assert contact_of(young) == (NAME, PHONE, EMAIL, young.sender_key, young.network_key)
    assert young.sender_key and young.network_key
    old.refresh_from_db()
    assert old.text and old.status == status  # the aspiration itself stays


def test_spam_loses_its_contact_and_open_aspirations_keep_theirs(world):
    spam = aspiration(world, "ditutup", idle_days=200, is_spam=True)
    open_ones = [aspiration(world, s, idle_days=400) for s in ("diterima", "diteruskan")]

    assert retention.personal_data_purge()["aspiration_contacts"] == 1

    assert contact_of(spam) == ("", "", "", "", "")
    for aspirasi in open_ones:
        assert contact_of(aspirasi)[:3] == (NAME, PHONE, EMAIL)


def test_the_original_photo_goes_and_the_stripped_copy_stays(world):
    done = with_photo(aspiration(world, "ditutup", idle_days=200), "ready")
    working = with_photo(aspiration(world, "ditutup", idle_days=200), "pending")
    original, clean = on_disk(done.photo), Path(private_storage().path(done.photo_clean))

    assert retention.personal_data_purge()["aspiration_contacts"] == 2

    done.refresh_from_db(), working.refresh_from_db()
    assert not done.photo and not original.exists()
    assert done.photo_clean and clean.exists()  # what the queue shows
    assert working.photo and on_disk(working.photo).exists()  # still being processed
    assert contact_of(working)[:3] == ("", "", "")
    # A photo still being processed is no reason to pick the aspiration again.
    assert retention.personal_data_purge()["aspiration_contacts"] == 0


# --- Invitations, sign-in attempts, sessions ----------------------------------------------------


def invitation(world, email: str, *, expired_days: float, **fields) -> Invitation:
    return Invitation.objects.create(
        community=world.kim_a,
        email=email,
        role="editor",
        token_hash=email,
        expires_at=days_ago(expired_days),
        **fields,
    )


def test_unaccepted_invitations_go_after_the_period(world):
    gone = [
        invitation(world, "kedaluwarsa@example.id", expired_days=31),
        invitation(world, "dibatalkan@example.id", expired_days=-5, revoked_at=days_ago(31)),
    ]
    kept = [
        invitation(world, "baru-kedaluwarsa@example.id", expired_days=29),
        invitation(world, "masih-berlaku@example.id", expired_days=-5),
        invitation(world, "diterima@example.id", expired_days=400, accepted_at=days_ago(401)),
    ]

    assert retention.personal_data_purge()["invitations"] == 2

    remaining = set(Invitation.objects.values_list("pk", flat=True))
    assert remaining == {i.pk for i in kept}
    assert not remaining & {i.pk for i in gone}


def attempt(username: str, minutes_ago: float) -> AccessAttempt:
    row = AccessAttempt.objects.create(
        user_agent="Mozilla/5.0",
        ip_address="203.0.113.7",
        username=username,
        http_accept="*/*",
        path_info="/masuk/",
        get_data="",
        post_data="",
        failures_since_start=3,
    )
    AccessAttempt.objects.filter(pk=row.pk).update(
        attempt_time=timezone.now() - timedelta(minutes=minutes_ago)
    )
    return row


def test_failed_sign_ins_go_after_the_cool_off_and_expired_sessions_go(world):
    old, recent = attempt("lama@example.id", 16), attempt("baru@example.id", 14)
    Session.objects.create(session_key="a" * 32, session_data="x", expire_date=days_ago(1))
    Session.objects.create(session_key="b" * 32, session_data="x", expire_date=days_ago(-1))

    counts = retention.personal_data_purge()

    assert counts["sign_in_attempts"] == 1 and counts["sessions"] == 1
    assert list(AccessAttempt.objects.values_list("pk", flat=True)) == [recent.pk]
    assert not AccessAttempt.objects.filter(pk=old.pk).exists()
    assert list(Session.objects.values_list("session_key", flat=True)) == ["b" * 32]


# --- The run as a whole -------------------------------------------------------------------------


@pytest.fixture
def everything(world):
    """One item of each kind past its period."""
    items = {
        "rejected": signup(world, "ditolak-lama", "rejected", idle_days=100),
        "draft": signup(world, "draf-lama", "draft", idle_days=100, village=world.regions.kapasari),
        "aspirasi": with_photo(aspiration(world, "ditanggapi", idle_days=200), "ready"),
        "invitation": invitation(world, "kedaluwarsa@example.id", expired_days=31),
        "attempt": attempt("lama@example.id", 60),
    }
    Session.objects.create(session_key="a" * 32, session_data="x", expire_date=days_ago(1))
    return items


ONE_EACH = {
    "signup_rejected": 1,
    "signup_abandoned": 1,
    "aspiration_contacts": 1,
    "invitations": 1,
    "sign_in_attempts": 1,
    "sessions": 1,
}


def test_running_twice_purges_once(everything):
    assert retention.personal_data_purge() == ONE_EACH
    assert retention.personal_data_purge() == NOTHING
    assert retention.personal_data_purge(dry_run=True) == NOTHING


def test_the_dry_run_counts_and_changes_nothing(everything, capsys):
    call_command("purge_personal_data", "--dry-run")
    out = capsys.readouterr().out
    assert "uji coba" in out
    assert "Pendaftaran ditolak (pindaian SK, nomor HP anggota): 1" in out
    assert "Catatan gagal masuk: 1" in out
    rejected = everything["rejected"]
    rejected.refresh_from_db()
    assert rejected.sk_file and on_disk(rejected.sk_file).exists()
    assert contact_of(everything["aspirasi"])[:3] == (NAME, PHONE, EMAIL)
    assert Invitation.objects.filter(pk=everything["invitation"].pk).exists()
    assert retention.personal_data_purge(dry_run=True) == ONE_EACH

    call_command("purge_personal_data")
    assert "Dihapus:" in capsys.readouterr().out
    assert retention.personal_data_purge(dry_run=True) == NOTHING


def test_the_task_runs_the_service_and_beat_runs_the_task_daily(everything):
    assert tasks.purge_personal_data.delay().get() == ONE_EACH
    schedule = settings.CELERY_BEAT_SCHEDULE["purge-personal-data"]
    assert schedule["task"] == "kimportal.tasks.purge_personal_data"
    assert schedule["schedule"].hour == {2}  # a crontab: once a day, at night


def test_every_read_is_bounded_by_the_batch(world, monkeypatch):
    monkeypatch.setattr(retention, "BATCH", 2)
    for i in range(5):
        aspiration(world, "ditutup", idle_days=200 + i)
    for i in range(3):
        with_photo(aspiration(world, "ditarik", idle_days=300 + i), "failed")
    for i in range(5):
        attempt(f"lama{i}@example.id", 60)

    with CaptureQueriesContext(connection) as queries:
        counts = retention.personal_data_purge()

    assert counts["aspiration_contacts"] == 8 and counts["sign_in_attempts"] == 5
    reads = [
        q["sql"] for q in queries.captured_queries
        if q["sql"].startswith("SELECT") and "COUNT(" not in q["sql"]
    ]  # fmt: skip
    unbounded = [sql for sql in reads if "LIMIT" not in sql and " IN (" not in sql]
    assert unbounded == []


def test_the_log_has_counts_and_no_personal_data(everything, caplog):
    with caplog.at_level(logging.DEBUG):
        retention.personal_data_purge()
    text = "\n".join(record.getMessage() for record in caplog.records)
    assert "signup_rejected=1" in text and "aspiration_contacts=1" in text
    for secret in (*CONTACT, "kedaluwarsa@example.id", "lama@example.id", "203.0.113.7"):
        assert secret not in text, secret
