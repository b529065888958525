"""Services of aspirations: sending, spam rules, tracking, the queue's actions, the deadline."""

import io
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from aspirations import codes, services
from aspirations.models import Aspirasi, AspirasiEvent
from kimportal.lib.storage import private_storage
from posts.models import BannedTerm
from tests.aspirations.helpers import CONTACT, EMAIL, NAME, PHONE, make_aspirasi
from tests.factories import jpeg_upload

pytestmark = pytest.mark.django_db


def submission(**overrides) -> services.Submission:
    data = {
        "topic": "kesehatan",
        "text": "Posyandu di RW 05 kekurangan timbangan bayi sejak tiga bulan terakhir.",
        "village": None,
        "contact_name": NAME,
        "contact_phone": PHONE,
        "contact_email": EMAIL,
    }
    data.update(overrides)
    return services.Submission(**data)


def submit(world, *, to_kim=True, address="203.0.113.7", **overrides):
    community = world.kim_a if to_kim else None
    regency = world.regions.surabaya
    return services.aspirasi_submit(
        community=community, regency=regency, data=submission(**overrides), address=address
    )


# --- Sending -------------------------------------------------------------------------------------


def test_submit_to_a_kim_stores_scope_and_only_a_hash_of_the_code(world):
    aspirasi, code = submit(world, village=world.regions.ketabang)
    assert aspirasi.community == world.kim_a
    assert (aspirasi.regency_id, aspirasi.province_id) == ("35.78", "35")
    assert aspirasi.status == "diterima" and aspirasi.is_public
    normal = codes.normalize(code)
    assert code.startswith("ASP-") and len(normal) == 12
    assert code not in aspirasi.code_hash and normal not in aspirasi.code_hash
    assert aspirasi.code_hash == codes.code_hash(code)
    assert services.aspirasi_for_code(code=code.lower().replace("-", " ")) == aspirasi
    assert list(aspirasi.events.values_list("action", flat=True)) == ["received"]


def test_codes_are_random_and_typable():
    seen = {codes.new_code() for _ in range(200)}
    assert len(seen) == 200
    code = "ASP-7K2M-Q9XD-4HPA"
    assert codes.normalize("asp 7k2m q9xd 4hpa") == "7K2MQ9XD4HPA"
    assert codes.normalize("ASP-7K2M-Q9XD-4HPA") == codes.normalize(code)
    assert codes.normalize("7k2m-q9xd-4hpa") == "7K2MQ9XD4HPA"
    # I, L and O are read as 1, 1 and 0; U is not a Crockford letter.
    assert codes.normalize("ASP-IL0O-0000-0000") == "1100" + "0" * 8
    assert codes.normalize("ASP-UUUU-0000-0000") is None
    assert codes.normalize("ASP-1234") is None


def test_submit_to_a_regency(world):
    aspirasi, _code = submit(world, to_kim=False, village=world.regions.kapasari)
    assert aspirasi.community is None and aspirasi.regency_id == "35.78"


def test_a_village_of_another_regency_is_refused(world):
    with pytest.raises(ValidationError):
        submit(world, to_kim=False, village=world.regions.gegerkalong)
    assert not Aspirasi.objects.exists()


def test_a_kim_of_another_regency_is_refused(world):
    with pytest.raises(ValueError):
        services.aspirasi_submit(
            community=world.kim_b,
            regency=world.regions.surabaya,
            data=submission(),
            address="203.0.113.7",
        )


def test_banned_terms_are_refused(world):
    BannedTerm.objects.create(term="judi online")
    with pytest.raises(ValidationError) as refused:
        submit(world, text="Tolong tutup situs JUDI   Online yang meresahkan warga kampung.")
    assert refused.value.code == "banned"
    assert not Aspirasi.objects.exists()


def test_rate_limit_per_address(world, settings):
    settings.ASPIRATIONS_PER_HOUR = 2
    submit(world)
    submit(world)
    with pytest.raises(ValidationError) as refused:
        submit(world)
    assert refused.value.code == "rate"
    assert Aspirasi.objects.count() == 2
    submit(world, address="198.51.100.9")  # another network is not limited


def test_rate_limit_per_network(world, settings):
    settings.ASPIRATIONS_PER_HOUR_NETWORK = 2
    submit(world, address="203.0.113.7")
    submit(world, address="203.0.113.8")
    with pytest.raises(ValidationError):
        submit(world, address="203.0.113.9")  # the same /24
    submit(world, address="2001:db8::1")


def test_rate_limit_forgets_after_an_hour(world, settings):
    settings.ASPIRATIONS_PER_HOUR = 1
    first, _code = submit(world)
    Aspirasi.objects.filter(pk=first.pk).update(created_at=timezone.now() - timedelta(hours=2))
    submit(world)


def test_sender_gets_the_code_and_workers_get_no_contact(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        aspirasi, code = submit(world)
    to_sender = [m for m in mail.outbox if m.to == [EMAIL]]
    others = [m for m in mail.outbox if m.to != [EMAIL]]
    assert len(to_sender) == 1 and code in to_sender[0].body
    assert code in to_sender[0].alternatives[0][0]
    # KIM A's admin and editor are told; the contributor is not.
    assert sorted(m.to[0] for m in others) == ["a-admin@example.id", "a-editor@example.id"]
    for message in others:
        for text in (message.subject, message.body, message.alternatives[0][0]):
            assert code not in text
            for secret in CONTACT:
                assert secret not in text


def test_regency_aspirasi_notifies_the_regency_staff(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        submit(world, to_kim=False, contact_email="")
    assert [m.to for m in mail.outbox] == [["diskominfo-surabaya@example.id"]]


# --- Withdrawal ----------------------------------------------------------------------------------


def test_withdraw_with_the_code(world):
    aspirasi = make_aspirasi(community=world.kim_a)
    services.aspirasi_withdraw(code=aspirasi.code)
    aspirasi.refresh_from_db()
    assert aspirasi.status == "ditarik" and not aspirasi.is_shown_publicly
    assert aspirasi.events.last().action == "withdrawn"
    with pytest.raises(ValidationError):
        services.aspirasi_withdraw(code=aspirasi.code)
    with pytest.raises(ValidationError):
        services.aspirasi_withdraw(code="ASP-0000-0000-0000")


# --- The queue's actions -------------------------------------------------------------------------


def test_forward_answer_close_each_an_event_and_an_email(world, django_capture_on_commit_callbacks):
    aspirasi = make_aspirasi(community=world.kim_a, contact_email=EMAIL)
    with django_capture_on_commit_callbacks(execute=True):
        services.aspirasi_forward(
            aspirasi=aspirasi, actor=world.a_editor, office="Dinas PU", note="Segera"
        )
        services.aspirasi_answer(
            aspirasi=aspirasi, actor=world.surabaya_admin, answer="Perbaikan dijadwalkan."
        )
        services.aspirasi_close(aspirasi=aspirasi, actor=world.a_admin, reason="Sudah diperbaiki.")
    aspirasi.refresh_from_db()
    assert aspirasi.status == "ditutup"
    assert (aspirasi.forwarded_to, aspirasi.forward_note) == ("Dinas PU", "Segera")
    assert aspirasi.answer == "Perbaikan dijadwalkan."
    events = list(aspirasi.events.values_list("action", "actor__email", "is_public"))
    assert events == [
        ("received", None, True),
        ("forwarded", "a-editor@example.id", True),
        ("answered", "diskominfo-surabaya@example.id", True),
        ("closed", "a-admin@example.id", True),
    ]
    # The internal note stays internal.
    assert aspirasi.events.get(action="forwarded").public_text == "Dinas PU"
    assert [m.to for m in mail.outbox] == [[EMAIL]] * 3
    assert "Perbaikan dijadwalkan." in mail.outbox[1].body


def test_actions_need_text(world):
    aspirasi = make_aspirasi(community=world.kim_a)
    with pytest.raises(ValidationError):
        services.aspirasi_forward(aspirasi=aspirasi, actor=world.a_admin, office="  ")
    with pytest.raises(ValidationError):
        services.aspirasi_answer(aspirasi=aspirasi, actor=world.a_admin, answer="")
    with pytest.raises(ValidationError):
        services.aspirasi_close(aspirasi=aspirasi, actor=world.a_admin, reason="")


def test_a_closed_aspirasi_takes_no_further_action(world):
    aspirasi = make_aspirasi(community=world.kim_a, status="ditutup")
    with pytest.raises(ValidationError):
        services.aspirasi_answer(aspirasi=aspirasi, actor=world.a_admin, answer="x")
    withdrawn = make_aspirasi(community=world.kim_a, status="ditarik")
    with pytest.raises(ValidationError):
        services.aspirasi_forward(aspirasi=withdrawn, actor=world.a_admin, office="x")


def test_merge_into_another_of_the_same_scope(world, django_capture_on_commit_callbacks):
    original = make_aspirasi(community=world.kim_a)
    duplicate = make_aspirasi(community=world.kim_a, contact_email=EMAIL)
    with django_capture_on_commit_callbacks(execute=True):
        services.aspirasi_merge(aspirasi=duplicate, actor=world.a_editor, into=original)
    duplicate.refresh_from_db()
    assert duplicate.status == "digabung" and duplicate.duplicate_of == original
    assert duplicate.events.last().action == "merged"
    assert f"#{original.pk}" in mail.outbox[0].body


def test_merge_refuses_other_scopes_and_itself(world):
    a1 = make_aspirasi(community=world.kim_a)
    a2 = make_aspirasi(community=world.kim_a)
    b1 = make_aspirasi(community=world.kim_b)
    to_regency = make_aspirasi(regency=world.regions.surabaya)
    malang = make_aspirasi(regency=world.regions.malang)
    with pytest.raises(ValidationError):
        services.aspirasi_merge(aspirasi=a1, actor=world.a_admin, into=a1)
    with pytest.raises(ValidationError):  # another regency, even for the national admin
        services.aspirasi_merge(aspirasi=a1, actor=world.national_admin, into=b1)
    with pytest.raises(ValidationError):
        services.aspirasi_merge(aspirasi=a1, actor=world.jatim_admin, into=malang)
    # A KIM's editors cannot reach the regency's own aspirations; its staff can.
    with pytest.raises(ValidationError):
        services.aspirasi_merge(aspirasi=a1, actor=world.a_admin, into=to_regency)
    services.aspirasi_merge(aspirasi=a1, actor=world.surabaya_admin, into=to_regency)
    # Nothing merges into a merged, withdrawn or spam one.
    with pytest.raises(ValidationError):
        services.aspirasi_merge(aspirasi=a2, actor=world.surabaya_admin, into=a1)


def test_spam_is_closed_never_public_and_silent(world, django_capture_on_commit_callbacks):
    aspirasi = make_aspirasi(community=world.kim_a, contact_email=EMAIL)
    with django_capture_on_commit_callbacks(execute=True):
        services.aspirasi_mark_spam(aspirasi=aspirasi, actor=world.a_editor)
    aspirasi.refresh_from_db()
    assert aspirasi.status == "ditutup" and aspirasi.is_spam
    assert not Aspirasi.objects.public().filter(pk=aspirasi.pk).exists()
    assert mail.outbox == []


# --- The deadline --------------------------------------------------------------------------------


def test_escalation_flags_once_and_tells_the_province(world, django_capture_on_commit_callbacks):
    old = timezone.now() - timedelta(days=8)
    overdue = make_aspirasi(community=world.kim_a, created_at=old, contact_email=EMAIL)
    forwarded_long_ago = make_aspirasi(regency=world.regions.bandung, status="diteruskan",
                                       created_at=old)  # fmt: skip
    fresh = make_aspirasi(community=world.kim_a)
    done = make_aspirasi(community=world.kim_a, created_at=old, status="ditanggapi")
    with django_capture_on_commit_callbacks(execute=True):
        assert services.aspirations_escalate_overdue() == 2
        assert services.aspirations_escalate_overdue() == 0
    for aspirasi, flagged in ((overdue, True), (forwarded_long_ago, True), (fresh, False),
                              (done, False)):  # fmt: skip
        aspirasi.refresh_from_db()
        assert (aspirasi.escalated_at is not None) is flagged
    assert sorted(m.to[0] for m in mail.outbox) == [
        "diskominfo-jabar@example.id",
        "diskominfo-jatim@example.id",
    ]
    for message in mail.outbox:
        for secret in CONTACT:
            assert secret not in message.body and secret not in message.alternatives[0][0]
    assert AspirasiEvent.objects.filter(action="escalated").count() == 2


def test_the_deadline_is_a_setting(world, settings):
    settings.ASPIRATION_DEADLINE_DAYS = 30
    make_aspirasi(community=world.kim_a, created_at=timezone.now() - timedelta(days=8))
    assert services.aspirations_escalate_overdue() == 0


def test_an_action_restarts_the_deadline(world):
    aspirasi = make_aspirasi(community=world.kim_a, created_at=timezone.now() - timedelta(days=8))
    services.aspirasi_forward(aspirasi=aspirasi, actor=world.a_admin, office="Dinas PU")
    assert services.aspirations_escalate_overdue() == 0


# --- The photo -----------------------------------------------------------------------------------


def _jpeg_with_gps() -> SimpleUploadedFile:
    image = Image.new("RGB", (800, 600), (200, 40, 40))
    exif = Image.Exif()
    exif[0x010F] = "KameraRahasia"  # Make
    exif[0x8825] = {1: "S", 2: (7.0, 15.0, 0.0)}  # GPS
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif)
    return SimpleUploadedFile("foto.jpg", buffer.getvalue(), content_type="image/jpeg")


def test_photo_is_stripped_and_public_only_while_the_aspirasi_is(
    world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        aspirasi, code = submit(world, photo=_jpeg_with_gps())
    aspirasi.refresh_from_db()
    assert aspirasi.photo_status == "ready"
    assert aspirasi.photo_clean and aspirasi.photo_public
    with default_storage.open(aspirasi.photo_public, "rb") as handle:
        data = handle.read()
    assert b"KameraRahasia" not in data and b"Exif" not in data
    with private_storage().open(aspirasi.photo.name, "rb") as handle:
        assert b"KameraRahasia" in handle.read()  # the original stays as sent, privately
    public_name = aspirasi.photo_public
    with django_capture_on_commit_callbacks(execute=True):
        services.aspirasi_withdraw(code=code)
    aspirasi.refresh_from_db()
    assert aspirasi.photo_public == ""
    assert not default_storage.exists(public_name)
    # Running the task again changes nothing (idempotent).
    assert services.aspirasi_photo_process(aspirasi_id=aspirasi.pk) == "ready"
    assert Aspirasi.objects.get(pk=aspirasi.pk).photo_public == ""


def test_a_private_aspirasi_gets_no_public_copy(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        aspirasi, _code = submit(world, photo=jpeg_upload(), is_public=False)
    aspirasi.refresh_from_db()
    assert aspirasi.photo_clean and not aspirasi.photo_public


def test_a_broken_photo_never_loses_the_aspirasi(world, django_capture_on_commit_callbacks):
    broken = SimpleUploadedFile("x.jpg", b"\xff\xd8\xff\xe0 not really a jpeg", "image/jpeg")
    with django_capture_on_commit_callbacks(execute=True):
        aspirasi, _code = submit(world, photo=broken)
    aspirasi.refresh_from_db()
    assert aspirasi.photo_status == "failed" and aspirasi.photo_error
    assert aspirasi.status == "diterima" and not aspirasi.photo_public
    assert aspirasi.events.filter(action="photo_failed").exists()


def test_spam_takes_the_public_photo_down(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        aspirasi, _code = submit(world, photo=jpeg_upload())
    aspirasi.refresh_from_db()
    name = aspirasi.photo_public
    assert name
    with django_capture_on_commit_callbacks(execute=True):
        services.aspirasi_mark_spam(aspirasi=aspirasi, actor=world.surabaya_admin)
    assert Aspirasi.objects.get(pk=aspirasi.pk).photo_public == ""
    assert not default_storage.exists(name)
