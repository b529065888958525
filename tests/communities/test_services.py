"""The life of a KIM through its services: sign-up, verification, renaming, roles, invitations."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.models import User
from communities import services
from communities.models import Community, Invitation, Role, VerificationEvent
from tests.factories import make_user

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n%%EOF\n"


def complete_draft(world, applicant):
    draft = services.community_draft_start(applicant=applicant)
    services.community_set_village(community=draft, village=world.regions.sumbersekar)
    services.community_set_identity(community=draft, name="KIM Sumbersekar", slug="kim-sumbersekar")
    services.community_set_decree(
        community=draft,
        number="140/12/2026",
        decree_date=timezone.localdate(),
        file=SimpleUploadedFile("sk.pdf", PDF),
    )
    roster = [services.MemberData(name="Bu Ketua", position="ketua")] + [
        services.MemberData(name=f"Anggota {i}", position="anggota") for i in range(9)
    ]
    services.community_set_roster(community=draft, members=roster)
    return draft


def test_the_decree_service_refuses_an_sk_dated_in_the_future(world):
    draft = services.community_draft_start(applicant=make_user("baru@example.id"))
    tomorrow = timezone.localdate() + timedelta(days=1)
    with pytest.raises(ValidationError, match="setelah hari ini"):
        services.community_set_decree(
            community=draft, number="140/12/2027", decree_date=tomorrow, file=None
        )
    draft.refresh_from_db()
    assert draft.sk_date is None and draft.sk_number == ""


def test_a_draft_copies_its_region_path_from_the_village(world):
    draft = complete_draft(world, make_user("baru@example.id"))
    assert (draft.district_id, draft.regency_id, draft.province_id) == ("35.07.20", "35.07", "35")
    assert draft.sk_file.name.endswith(".pdf")
    assert services.application_problems(draft) == []


def test_one_draft_per_applicant_is_resumed(world):
    user = make_user("baru@example.id")
    assert services.community_draft_start(applicant=user) == services.community_draft_start(
        applicant=user
    )


def test_submit_refuses_an_incomplete_application_and_lists_why(world):
    draft = services.community_draft_start(applicant=make_user("baru@example.id"))
    with pytest.raises(ValidationError) as exc:
        services.community_submit(community=draft, actor=draft.applicant)
    assert len(exc.value.messages) == 5
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_submit_notifies_the_staff_above_the_kim(world, django_capture_on_commit_callbacks):
    draft = complete_draft(world, make_user("baru@example.id"))
    with django_capture_on_commit_callbacks(execute=True):
        services.community_submit(community=draft, actor=draft.applicant)
    assert draft.status == "pending"
    recipients = sorted(m.to[0] for m in mail.outbox)
    # Kabupaten Malang's regency admin, Jawa Timur's province admin, the national admin.
    assert recipients == [
        "diskominfo-jatim@example.id", "diskominfo-malang@example.id", "kemkomdigi@example.id",
    ]  # fmt: skip
    assert "KIM Sumbersekar" in mail.outbox[0].subject
    assert "http://kelola.localhost:8000/verifikasi/" in mail.outbox[0].body
    assert mail.outbox[0].alternatives[0][1] == "text/html"


def test_verify_issues_nomor_induk_per_village_and_makes_the_applicant_admin(
    world, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.community_verify(community=world.pending_a, actor=world.surabaya_admin)
    world.pending_a.refresh_from_db()
    assert world.pending_a.status == "verified"
    # Ketabang (the same district, another village) has its own sequence; Kapasari starts at 01.
    assert world.pending_a.nomor_induk == "357809100501"
    assert world.pending_a.nomor_induk_display == "35.78.09.1005.01"
    assert Role.objects.get(community=world.pending_a).role == "admin"
    assert mail.outbox[0].to == ["pendaftar-baru@example.id"]
    assert "35.78.09.1005.01" in mail.outbox[0].body


def test_second_kim_of_a_village_gets_the_next_sequence(world):
    services.community_verify(community=world.pending_b, actor=world.bandung_admin)
    world.pending_b.refresh_from_db()
    assert world.kim_b.nomor_induk == "327301100201"
    assert world.pending_b.nomor_induk == "327301100202"


def test_staff_outside_the_region_cannot_verify(world):
    with pytest.raises(PermissionError):
        services.community_verify(community=world.pending_a, actor=world.malang_admin)
    with pytest.raises(PermissionError):
        services.community_verify(community=world.pending_a, actor=world.a_admin)
    world.pending_a.refresh_from_db()
    assert world.pending_a.status == "pending"


def test_reject_needs_a_reason_then_the_applicant_fixes_and_resubmits(
    world, django_capture_on_commit_callbacks
):
    with pytest.raises(ValidationError):
        services.community_reject(community=world.pending_a, actor=world.surabaya_admin, reason=" ")
    with django_capture_on_commit_callbacks(execute=True):
        services.community_reject(
            community=world.pending_a, actor=world.surabaya_admin, reason="SK belum ditandatangani"
        )
    assert "SK belum ditandatangani" in mail.outbox[0].body
    rejected = Community.objects.get(pk=world.pending_a.pk)
    assert rejected.status == "rejected"
    services.community_set_identity(
        community=rejected, name="KIM Kapasari Jaya", slug="kim-kapasari"
    )
    services.community_submit(community=rejected, actor=world.pending_applicant)
    actions = list(
        VerificationEvent.objects.filter(community=rejected).values_list("action", flat=True)
    )
    assert actions == ["rejected", "resubmitted"]


def test_suspend_and_reinstate(world):
    services.community_suspend(community=world.kim_a, actor=world.jatim_admin, reason="Hoaks")
    assert Community.objects.get(pk=world.kim_a.pk).status == "suspended"
    with pytest.raises(ValidationError):
        services.community_suspend(community=world.kim_a, actor=world.jatim_admin, reason="lagi")
    services.community_reinstate(community=world.kim_a, actor=world.national_admin, reason="Sudah")
    events = VerificationEvent.objects.filter(community=world.kim_a)
    assert [(e.action, e.actor) for e in events] == [
        ("suspended", world.jatim_admin),
        ("reinstated", world.national_admin),
    ]


def test_rename_keeps_history_and_can_go_back(world):
    services.community_change_slug(
        community=world.kim_a, actor=world.surabaya_admin, new_slug="x-1"
    )
    services.community_change_slug(
        community=world.kim_a, actor=world.surabaya_admin, new_slug="x-2"
    )
    services.community_change_slug(
        community=world.kim_a, actor=world.surabaya_admin, new_slug="kim-ketabang"
    )
    assert sorted(world.kim_a.old_slugs.values_list("old_slug", flat=True)) == ["x-1", "x-2"]
    with pytest.raises(ValidationError):
        services.community_change_slug(
            community=world.kim_b, actor=world.bandung_admin, new_slug="x-1"
        )


def test_invitation_is_single_use_and_expires(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        invitation, token = services.invitation_create(
            community=world.kim_a, actor=world.a_admin, email="Relawan@Example.id", role="editor"
        )
    assert invitation.email == "relawan@example.id"
    assert token not in invitation.token_hash
    assert f"/undangan/{token}/" in mail.outbox[0].body
    newcomer = make_user("relawan@example.id")
    assert services.invitation_accept(token=token, user=newcomer).role == "editor"
    with pytest.raises(ValidationError):
        services.invitation_accept(token=token, user=newcomer)

    _, late = services.invitation_create(
        community=world.kim_a, actor=world.a_admin, email="telat@example.id", role="contributor"
    )
    Invitation.objects.filter(email="telat@example.id").update(
        expires_at=timezone.now() - timedelta(seconds=1)
    )
    with pytest.raises(ValidationError):
        services.invitation_accept(token=late, user=make_user("telat@example.id"))


def test_an_invitation_is_accepted_only_by_the_invited_address(world):
    invitation, token = services.invitation_create(
        community=world.kim_a, actor=world.a_admin, email="relawan@example.id", role="editor"
    )
    for intruder in (world.b_editor, world.outsider, world.national_admin):
        with pytest.raises(ValidationError) as exc:
            services.invitation_accept(token=token, user=intruder)
        assert exc.value.code == "wrong_account"
        assert "relawan@example.id" in exc.value.messages[0]
    assert not Role.objects.filter(
        community=world.kim_a, user__in=[world.b_editor, world.outsider, world.national_admin]
    ).exists()
    invitation.refresh_from_db()
    assert invitation.accepted_at is None and invitation.accepted_by is None
    # Addresses match whatever their case (rows written before lower-casing, or by hand).
    invited = make_user("relawan@example.id")
    User.objects.filter(pk=invited.pk).update(email="Relawan@Example.ID")
    Invitation.objects.filter(pk=invitation.pk).update(email="RELAWAN@example.id")
    invited.refresh_from_db()
    assert services.invitation_accept(token=token, user=invited).role == "editor"
    invitation.refresh_from_db()
    assert invitation.accepted_by == invited


def test_accepting_with_a_new_account_uses_the_invited_address(world):
    _invitation, token = services.invitation_create(
        community=world.kim_a, actor=world.a_admin, email="baru@example.id", role="contributor"
    )
    user = services.invitation_accept_with_new_account(
        token=token, full_name=" Warga Baru ", password="kabar-warga-2026"
    )
    assert (user.email, user.full_name) == ("baru@example.id", "Warga Baru")
    assert Role.objects.get(community=world.kim_a, user=user).role == "contributor"
    # An address that already has an account must sign in instead.
    _invitation, token = services.invitation_create(
        community=world.kim_a, actor=world.a_admin, email="warga@example.id", role="editor"
    )
    with pytest.raises(ValidationError):
        services.invitation_accept_with_new_account(
            token=token, full_name="Penyusup", password="kabar-warga-2026"
        )
    assert not Role.objects.filter(community=world.kim_a, user=world.outsider).exists()


def test_only_kim_admins_invite(world):
    with pytest.raises(PermissionError):
        services.invitation_create(
            community=world.kim_a, actor=world.a_editor, email="x@example.id", role="admin"
        )
    with pytest.raises(PermissionError):
        services.invitation_create(
            community=world.kim_a, actor=world.b_admin, email="x@example.id", role="admin"
        )


def test_the_last_admin_cannot_leave_or_be_removed(world):
    with pytest.raises(ValidationError):
        services.role_leave(community=world.kim_a, user=world.a_admin)
    admin_role = Role.objects.get(community=world.kim_a, user=world.a_admin)
    with pytest.raises(ValidationError):
        services.role_change(
            community=world.kim_a, actor=world.a_admin, role=admin_role, new_role="editor"
        )
    editor_role = Role.objects.get(community=world.kim_a, user=world.a_editor)
    services.role_change(
        community=world.kim_a, actor=world.a_admin, role=editor_role, new_role="admin"
    )
    services.role_leave(community=world.kim_a, user=world.a_admin)
    assert not Role.objects.filter(community=world.kim_a, user=world.a_admin).exists()


def test_one_ketua_per_roster(world):
    with pytest.raises(ValidationError):
        services.member_save(
            community=world.kim_a,
            actor=world.a_admin,
            data=services.MemberData(name="Ketua Kedua", position="ketua"),
        )


def test_members_of_another_kim_cannot_be_touched(world):
    foreign = world.kim_b.members.first()
    with pytest.raises(PermissionError):
        services.member_remove(community=world.kim_a, actor=world.a_admin, member=foreign)
    assert world.kim_b.members.filter(pk=foreign.pk).exists()


def test_only_verified_kims_are_renamed_or_trusted(world):
    with pytest.raises(ValidationError):
        services.community_change_slug(
            community=world.pending_a, actor=world.surabaya_admin, new_slug="kim-lain"
        )
    with pytest.raises(ValidationError):
        services.community_set_trusted(
            community=world.pending_a, actor=world.surabaya_admin, trusted=True
        )


def test_two_reviewers_deciding_at_once_make_one_decision(world):
    from communities.models import Community

    first_view = Community.objects.get(pk=world.pending_a.pk)
    second_view = Community.objects.get(pk=world.pending_a.pk)
    services.community_verify(community=first_view, actor=world.surabaya_admin)
    with pytest.raises(ValidationError, match="diputuskan oleh admin lain"):
        services.community_reject(community=second_view, actor=world.jatim_admin, reason="Tidak")
    with pytest.raises(ValidationError, match="diputuskan oleh admin lain"):
        services.community_verify(community=second_view, actor=world.jatim_admin)
    assert Community.objects.get(pk=world.pending_a.pk).status == "verified"
    assert list(
        VerificationEvent.objects.filter(community=world.pending_a).values_list("action", flat=True)
    ) == ["verified"]
