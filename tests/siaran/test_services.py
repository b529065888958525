"""Siaran services and their permission checks, called directly."""

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from posts.models import Image, Post
from siaran import permissions, selectors, services
from siaran.models import InboxState, Relay, Reminder, Siaran
from tests.factories import jpeg_upload, make_community, make_role, make_user
from tests.siaran.helpers import make_siaran

pytestmark = pytest.mark.django_db


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """Run on_commit callbacks (outbox tasks, in-process in tests) as a real commit would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def data(**overrides) -> services.SiaranData:
    values = {
        "office_name": "Diskominfo Jatim",
        "title": "Imunisasi",
        "body": "Datang ke posyandu.",
    }
    values.update(overrides)
    return services.SiaranData(**values)


# --- Who may write what --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("actor", "target", "allowed"),
    [
        ("national_admin", {"national": True}, True),
        ("national_admin", {"province_ids": {"32"}}, True),
        ("jatim_admin", {"province_ids": {"35"}}, True),
        ("jatim_admin", {"regency_ids": {"35.78", "35.07"}}, True),
        ("jatim_admin", {"national": True}, False),
        ("jatim_admin", {"province_ids": {"32"}}, False),
        ("jatim_admin", {"regency_ids": {"32.73"}}, False),
        ("surabaya_admin", {"regency_ids": {"35.78"}}, True),
        ("surabaya_admin", {"regency_ids": {"35.07"}}, False),
        ("surabaya_admin", {"province_ids": {"35"}}, False),
        ("a_admin", {"regency_ids": {"35.78"}}, False),
        ("outsider", {"regency_ids": {"35.78"}}, False),
    ],
)
def test_siaran_create_checks_the_target(world, actor, target, allowed):
    user = getattr(world, actor)
    if allowed:
        siaran = services.siaran_create(actor=user, data=data(**target))
        assert siaran.status == Siaran.Status.DRAFT
        assert "<p>Datang ke posyandu.</p>" in siaran.body_html
    else:
        with pytest.raises(PermissionError):
            services.siaran_create(actor=user, data=data(**target))
        assert not Siaran.objects.exists()


def test_body_is_sanitised_and_links_validated(world):
    siaran = services.siaran_create(
        actor=world.national_admin,
        data=data(national=True, body="<script>x()</script> **tebal**", links=" https://a.id/x \n"),
    )
    assert "<script>" not in siaran.body_html and "<strong>tebal</strong>" in siaran.body_html
    assert siaran.links == "https://a.id/x"
    with pytest.raises(ValidationError):
        services.siaran_create(
            actor=world.national_admin, data=data(national=True, links="javascript:alert(1)")
        )


def test_pdf_is_checked_by_magic_bytes_and_size(world, settings):
    fake = SimpleUploadedFile("x.pdf", b"<html>not a pdf</html>", "application/pdf")
    with pytest.raises(ValidationError):
        services.siaran_create(
            actor=world.national_admin, data=data(national=True), attachment=fake
        )
    settings.SIARAN_MAX_PDF_MB = 0
    real = SimpleUploadedFile("x.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf")
    with pytest.raises(ValidationError):
        services.siaran_create(
            actor=world.national_admin, data=data(national=True), attachment=real
        )
    settings.SIARAN_MAX_PDF_MB = 10
    real.seek(0)
    siaran = services.siaran_create(
        actor=world.national_admin, data=data(national=True), attachment=real
    )
    assert siaran.attachment.name


@pytest.mark.parametrize(
    ("actor", "edit", "view"),
    [
        ("national_admin", True, True),
        ("jatim_admin", True, True),
        ("surabaya_admin", False, True),  # reaches a part of the province's target
        ("malang_admin", False, True),
        ("bandung_admin", False, False),
        ("jabar_admin", False, False),
        ("a_admin", False, False),
    ],
)
def test_edit_and_view_of_a_province_siaran(world, actor, edit, view):
    siaran = make_siaran(world.jatim_admin, provinces=[world.regions.jatim], status="draft")
    user = getattr(world, actor)
    assert permissions.can(user, permissions.EDIT, siaran) is edit
    assert permissions.can(user, permissions.VIEW, siaran) is view
    if edit:
        services.siaran_publish(siaran=siaran, actor=user)
    else:
        with pytest.raises(PermissionError):
            services.siaran_publish(siaran=siaran, actor=user)
        with pytest.raises(PermissionError):
            services.siaran_update(siaran=siaran, actor=user, data=data(province_ids={"35"}))
        with pytest.raises(PermissionError):
            services.siaran_withdraw(siaran=siaran, actor=user)


def test_a_regency_admin_sees_a_national_siaran_but_may_not_edit_it(world):
    siaran = make_siaran(world.national_admin, national=True)
    assert permissions.can(world.surabaya_admin, permissions.VIEW, siaran)
    assert not permissions.can(world.surabaya_admin, permissions.EDIT, siaran)
    listed = set(selectors.siaran_for_staff(user=world.bandung_admin))
    assert listed == {siaran}


def test_staff_list_is_scoped(world):
    jatim = make_siaran(world.jatim_admin, title="Jatim", provinces=[world.regions.jatim])
    bandung = make_siaran(world.bandung_admin, title="Bandung", regencies=[world.regions.bandung])
    assert set(selectors.siaran_for_staff(user=world.surabaya_admin)) == {jatim}
    assert set(selectors.siaran_for_staff(user=world.jabar_admin)) == {bandung}
    assert set(selectors.siaran_for_staff(user=world.national_admin)) == {jatim, bandung}
    assert not selectors.siaran_for_staff(user=world.a_admin).exists()


# --- Inbox ---------------------------------------------------------------------------------------


def test_inbox_scoping(world):
    national = make_siaran(world.national_admin, title="Nasional", national=True)
    jatim = make_siaran(world.jatim_admin, title="Jatim", provinces=[world.regions.jatim])
    malang = make_siaran(world.malang_admin, title="Malang", regencies=[world.regions.malang])
    surabaya = make_siaran(
        world.surabaya_admin, title="Surabaya", regencies=[world.regions.surabaya]
    )
    make_siaran(world.jatim_admin, title="Draf", provinces=[world.regions.jatim], status="draft")
    make_siaran(
        world.jatim_admin, title="Ditarik", provinces=[world.regions.jatim], status="withdrawn"
    )  # noqa: E501
    make_siaran(
        world.jatim_admin, title="Kedaluwarsa", provinces=[world.regions.jatim],
        valid_until=timezone.now() - timezone.timedelta(hours=1),
        valid_from=timezone.now() - timezone.timedelta(days=2),
    )  # fmt: skip
    make_siaran(
        world.jatim_admin, title="Nanti", provinces=[world.regions.jatim],
        valid_from=timezone.now() + timezone.timedelta(days=1),
    )  # fmt: skip
    assert list(selectors.inbox(community=world.kim_a)) == [surabaya, jatim, national]
    # A KIM of another province never sees a province's siaran.
    assert set(selectors.inbox(community=world.kim_b)) == {national}
    assert malang not in set(selectors.inbox(community=world.kim_a))


def test_inbox_is_one_query_whatever_the_number_of_kims(world, django_assert_num_queries):
    make_siaran(world.national_admin, national=True)
    with django_assert_num_queries(1):
        list(selectors.inbox(community=world.kim_a))


def test_new_count_and_seen(world, django_assert_num_queries):
    world.kim_a.verified_at = timezone.now() - timezone.timedelta(days=30)
    make_siaran(world.national_admin, national=True)
    make_siaran(world.jatim_admin, title="Jatim", provinces=[world.regions.jatim])
    with django_assert_num_queries(1):
        assert selectors.inbox_new_count(world.kim_a) == 2
    assert selectors.inbox_new_count(world.kim_b) == 1
    services.inbox_mark_seen(community=world.kim_a, user=world.a_contributor)
    assert selectors.inbox_new_count(world.kim_a) == 0
    services.inbox_mark_seen(community=world.kim_b, user=world.a_contributor)  # not a member
    assert not InboxState.objects.filter(community=world.kim_b).exists()


# --- Relay ---------------------------------------------------------------------------------------


def test_relay_makes_one_draft_with_the_photos(world, commit):
    siaran = services.siaran_create(
        actor=world.jatim_admin, data=data(province_ids={"35"}, links="https://jatim.go.id/a")
    )
    with commit():
        services.siaran_image_add(siaran=siaran, actor=world.jatim_admin, file=jpeg_upload())
    assert siaran.images.get().status == "ready"
    services.siaran_publish(siaran=siaran, actor=world.jatim_admin)
    with commit():
        relay, created = services.siaran_relay(
            siaran=siaran, community=world.kim_a, actor=world.a_contributor
        )
    assert created
    post = relay.post
    assert (post.status, post.kind, post.title) == (Post.Status.DRAFT, "berita", "Imunisasi")
    assert "Sumber: siaran Diskominfo Jatim" in post.body and "https://jatim.go.id/a" in post.body
    assert (relay.province_id, relay.regency_id) == ("35", "35.78")
    image = Image.objects.get(post=post)
    assert image.status == Image.Status.READY  # through the posts pipeline
    again, created_again = services.siaran_relay(
        siaran=siaran, community=world.kim_a, actor=world.a_editor
    )
    assert (again.pk, created_again) == (relay.pk, False)
    assert Post.objects.filter(community=world.kim_a).count() == 1


def test_the_source_line_is_written_in_indonesian_whatever_the_admins_language(world, commit):
    from django.utils import translation

    siaran = services.siaran_create(actor=world.jatim_admin, data=data(province_ids={"35"}))
    services.siaran_publish(siaran=siaran, actor=world.jatim_admin)
    with translation.override("en"), commit():
        relay, _created = services.siaran_relay(
            siaran=siaran, community=world.kim_a, actor=world.a_admin
        )
    assert "Sumber: siaran Diskominfo Jatim" in relay.post.body


@pytest.mark.parametrize(
    ("actor", "kim", "allowed"),
    [
        ("a_contributor", "kim_a", True),
        ("a_admin", "kim_a", True),
        ("b_admin", "kim_a", False),
        ("b_admin", "kim_b", False),  # B is outside the target
        ("jatim_admin", "kim_a", False),
        ("outsider", "kim_a", False),
    ],
)
def test_relay_permission(world, actor, kim, allowed):
    siaran = make_siaran(world.jatim_admin, provinces=[world.regions.jatim])
    call = lambda: services.siaran_relay(  # noqa: E731
        siaran=siaran, community=getattr(world, kim), actor=getattr(world, actor)
    )
    if allowed:
        assert call()[1]
    else:
        with pytest.raises(PermissionError):
            call()
        assert not Relay.objects.exists()


def test_relay_of_a_draft_or_withdrawn_siaran_is_refused(world):
    for status in ("draft", "withdrawn"):
        siaran = make_siaran(world.national_admin, national=True, status=status, title=status)
        with pytest.raises(PermissionError):
            services.siaran_relay(siaran=siaran, community=world.kim_a, actor=world.a_admin)


# --- Report --------------------------------------------------------------------------------------


def _second_jatim_kim(world):
    kim = make_community(
        village=world.regions.sumbersekar, slug="kim-sumbersekar", name="KIM Sumbersekar"
    )
    make_role(kim, make_user("admin-sumbersekar@example.id"), "admin")
    return kim


def test_report_scoping_and_totals(world):
    malang_kim = _second_jatim_kim(world)
    siaran = make_siaran(world.national_admin, national=True)
    relay, _ = services.siaran_relay(siaran=siaran, community=world.kim_a, actor=world.a_admin)
    Post.objects.filter(pk=relay.post_id).update(status="published", published_at=timezone.now())
    services.siaran_relay(siaran=siaran, community=world.kim_b, actor=world.b_admin)
    national = selectors.siaran_report(siaran=siaran, user=world.national_admin)
    assert national.level == "province"
    assert (national.kims, national.relayed, national.published) == (3, 2, 1)
    assert {t["name"]: t["kims"] for t in national.totals} == {"Jawa Timur": 2, "Jawa Barat": 1}
    jatim = selectors.siaran_report(siaran=siaran, user=world.jatim_admin)
    assert jatim.level == "regency"
    assert {c.name for c in jatim.communities} == {"KIM Ketabang Maju", "KIM Sumbersekar"}
    assert {t["name"]: t["relayed"] for t in jatim.totals} == {
        "Kota Surabaya": 1, "Kabupaten Malang": 0,
    }  # fmt: skip
    malang = selectors.siaran_report(siaran=siaran, user=world.malang_admin)
    assert [c.name for c in malang.communities] == [malang_kim.name]
    assert malang.relayed == 0


# --- Reminders and digests -----------------------------------------------------------------------


def test_reminder_emails_the_not_relaying_kims_of_the_area_once_a_day(world, commit):
    malang_kim = _second_jatim_kim(world)
    siaran = make_siaran(world.national_admin, national=True)
    services.siaran_relay(siaran=siaran, community=world.kim_a, actor=world.a_admin)
    mail.outbox.clear()
    with pytest.raises(PermissionError):
        services.siaran_remind(
            siaran=make_siaran(world.bandung_admin, regencies=[world.regions.bandung]),
            actor=world.jatim_admin,
        )  # noqa: E501
    with commit():
        reminder = services.siaran_remind(siaran=siaran, actor=world.jatim_admin)
    assert [m.to for m in mail.outbox] == [["admin-sumbersekar@example.id"]]
    reminder.refresh_from_db()
    assert (reminder.community_count, reminder.done_until_pk) == (1, malang_kim.pk)
    assert reminder.finished_at is not None
    with pytest.raises(ValidationError):
        services.siaran_remind(siaran=siaran, actor=world.jatim_admin)
    assert services.reminders_send(reminder_id=reminder.pk) == 0  # safe to run twice
    assert len(mail.outbox) == 1
    # Another area the same day is its own reminder.
    with commit():
        services.siaran_remind(siaran=siaran, actor=world.jabar_admin)
    assert ["b-admin@example.id"] in [m.to for m in mail.outbox]
    assert Reminder.objects.count() == 2


def test_reminder_batches_resume(world, commit):
    _second_jatim_kim(world)
    siaran = make_siaran(world.national_admin, national=True)
    reminder = Reminder.objects.create(
        siaran=siaran, area="n", day=timezone.localdate(), created_by=world.national_admin
    )
    mail.outbox.clear()
    with commit():
        assert services.reminders_send(reminder_id=reminder.pk, batch=1) == 3
    assert len(mail.outbox) == 3


def test_digest_sends_new_siaran_once(world, commit):
    make_siaran(world.national_admin, title="Nasional", national=True)
    make_siaran(world.jatim_admin, title="Jatim", provinces=[world.regions.jatim])
    mail.outbox.clear()
    with commit():
        assert services.digests_send(batch=1) == 2
    by_recipient = {m.to[0]: m for m in mail.outbox}
    assert set(by_recipient) == {"a-admin@example.id", "b-admin@example.id"}
    assert "Jatim" in by_recipient["a-admin@example.id"].body
    assert "Jatim" not in by_recipient["b-admin@example.id"].body
    assert services.digests_send() == 0  # safe to run twice
    make_siaran(world.bandung_admin, title="Bandung", regencies=[world.regions.bandung])
    mail.outbox.clear()
    with commit():
        assert services.digests_send() == 1
    assert [m.to for m in mail.outbox] == [["b-admin@example.id"]]
