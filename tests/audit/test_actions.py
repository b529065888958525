"""Every staff action writes exactly one audit event, through its service (so kelola, the admin
and the API are all covered), in the action's own transaction.

One test per action: the action is done through its service and the one new event is compared
field by field. Where a KIM's own people may do the same (aspirations to their KIM), their action
writes nothing: a KIM admin's work on their own KIM is not a staff action.
"""

from pathlib import Path
from unittest import mock

import pytest

from accounts import services as account_services
from aspirations import services as aspiration_services
from audit.models import Action, AuditEvent
from communities import services as community_services
from communities.models import Community
from posts import services as post_services
from posts.models import BannedTerm, Post
from posts.services import PostData
from posts.text import render_body
from siaran import services as siaran_services
from tests.aspirations.helpers import make_aspirasi
from tests.audit.helpers import fields, no_new_event, one_new_event
from tests.factories import make_post
from tests.siaran.helpers import make_siaran

pytestmark = pytest.mark.django_db

SURABAYA = "admin Kota Surabaya"
JATIM = "admin provinsi Jawa Timur"
NATIONAL = "admin nasional"


def kim(community, actor, role, action, **detail) -> dict:
    return {
        "actor_id": actor.pk, "actor_role": role, "action": action, "target_kind": "kim",
        "target_id": community.pk, "target_label": community.name,
        "province_code": community.province_id, "regency_code": community.regency_id,
        "detail": detail,
    }  # fmt: skip


def post_fields(post, actor, role, action, **detail) -> dict:
    return {
        "actor_id": actor.pk, "actor_role": role, "action": action, "target_kind": "post",
        "target_id": post.pk, "target_label": post.title, "province_code": "35",
        "regency_code": "35.78", "detail": detail,
    }  # fmt: skip


# --- Verification decisions and the other reviewer actions on a KIM ----------------------------


def test_verify(world):
    with one_new_event() as event:
        community_services.community_verify(community=world.pending_a, actor=world.surabaya_admin)
    assert fields(event[0]) == kim(world.pending_a, world.surabaya_admin, SURABAYA, "kim.verified")


def test_reject_asks_for_changes_with_its_reason(world):
    with one_new_event() as event:
        community_services.community_reject(
            community=world.pending_a, actor=world.jatim_admin, reason="  SK buram.  "
        )
    assert fields(event[0]) == kim(
        world.pending_a, world.jatim_admin, JATIM, "kim.rejected", reason="SK buram."
    )


def test_suspend(world):
    with one_new_event() as event:
        community_services.community_suspend(
            community=world.kim_a, actor=world.national_admin, reason="Menyebar hoaks."
        )
    assert fields(event[0]) == kim(
        world.kim_a, world.national_admin, NATIONAL, "kim.suspended", reason="Menyebar hoaks."
    )


def test_reinstate(world):
    Community.objects.filter(pk=world.kim_a.pk).update(status=Community.Status.SUSPENDED)
    world.kim_a.refresh_from_db()
    with one_new_event() as event:
        community_services.community_reinstate(
            community=world.kim_a, actor=world.surabaya_admin, reason="Sudah diperbaiki."
        )
    assert fields(event[0]) == kim(
        world.kim_a, world.surabaya_admin, SURABAYA, "kim.reinstated", reason="Sudah diperbaiki."
    )


def test_change_slug(world):
    with one_new_event() as event:
        community_services.community_change_slug(
            community=world.kim_a, actor=world.surabaya_admin, new_slug="kim-ketabang-baru"
        )
    assert fields(event[0]) == kim(
        world.kim_a, world.surabaya_admin, SURABAYA, "kim.slug_changed",
        old="kim-ketabang", new="kim-ketabang-baru",
    )  # fmt: skip


def test_set_trusted(world):
    with one_new_event() as event:
        community_services.community_set_trusted(
            community=world.kim_a, actor=world.surabaya_admin, trusted=True
        )
    assert fields(event[0]) == kim(
        world.kim_a, world.surabaya_admin, SURABAYA, "kim.trust_changed", trusted=True
    )
    with no_new_event():  # nothing changed, nothing recorded
        community_services.community_set_trusted(
            community=world.kim_a, actor=world.surabaya_admin, trusted=True
        )


# --- Moderation ----------------------------------------------------------------------------------


def on_air(world, **fields_) -> Post:
    text = "Warga membersihkan saluran air bersama."
    return make_post(
        world.kim_a, title="Kerja bakti RW 3", status="published", author=world.a_contributor,
        body=text, body_html=render_body(text), **fields_,
    )  # fmt: skip


def test_approve(world):
    post = make_post(world.kim_a, title="Kerja bakti", status="submitted", body="Isi.")
    with one_new_event() as event:
        post_services.post_approve(post=post, actor=world.surabaya_admin)
    assert fields(event[0]) == post_fields(
        post, world.surabaya_admin, SURABAYA, "post.approved", status="published"
    )


def test_reject(world):
    post = make_post(world.kim_a, title="Kerja bakti", status="submitted", body="Isi.")
    with one_new_event() as event:
        post_services.post_reject(post=post, actor=world.jatim_admin, reason="Foto buram.")
    assert fields(event[0]) == post_fields(
        post, world.jatim_admin, JATIM, "post.rejected", reason="Foto buram."
    )


def test_take_down(world):
    post = on_air(world)
    with one_new_event() as event:
        post_services.post_take_down(post=post, actor=world.surabaya_admin, reason="Hoaks.")
    assert fields(event[0]) == post_fields(
        post, world.surabaya_admin, SURABAYA, "post.taken_down", reason="Hoaks."
    )


def revision(world):
    post = on_air(world)
    with no_new_event():  # a KIM editor's edit is not a staff action
        revision = post_services.revision_submit(
            post=post,
            actor=world.a_editor,
            data=PostData(kind="kegiatan", title="Kerja bakti RW 3 dan 4", body="Dua RW."),
        )
    return revision


def test_approve_a_revision(world):
    pending = revision(world)
    with one_new_event() as event:
        post = post_services.revision_approve(revision=pending, actor=world.surabaya_admin)
    assert fields(event[0]) == post_fields(
        post, world.surabaya_admin, SURABAYA, "post.revision_approved",
        revision=pending.pk, fields=["title", "body"],
    )  # fmt: skip
    assert event[0].target_label == "Kerja bakti RW 3 dan 4"  # the title it has from now on


def test_reject_a_revision(world):
    pending = revision(world)
    with one_new_event() as event:
        post_services.revision_reject(revision=pending, actor=world.jatim_admin, reason="Tidak.")
    assert fields(event[0]) == post_fields(
        pending.post, world.jatim_admin, JATIM, "post.revision_rejected",
        revision=pending.pk, reason="Tidak.",
    )  # fmt: skip


def test_dismiss_reports(world):
    post = on_air(world, hidden_by_reports=True, open_reports=3)
    with one_new_event() as event:
        post_services.reports_dismiss(post=post, actor=world.surabaya_admin, reason="Bukan hoaks.")
    assert fields(event[0]) == post_fields(
        post, world.surabaya_admin, SURABAYA, "post.reports_dismissed", reason="Bukan hoaks."
    )


def test_add_and_remove_a_banned_term(world):
    with one_new_event() as event:
        term = post_services.banned_term_add(actor=world.national_admin, term="  Kata   Kasar ")
    assert fields(event[0]) == {
        "actor_id": world.national_admin.pk, "actor_role": NATIONAL,
        "action": "moderation.term_added", "target_kind": "term", "target_id": term.pk,
        "target_label": "kata kasar", "province_code": "", "regency_code": "", "detail": {},
    }  # fmt: skip
    with no_new_event():  # already there: nothing added
        post_services.banned_term_add(actor=world.national_admin, term="kata kasar")
    term_id = term.pk
    with one_new_event() as event:
        post_services.banned_term_remove(actor=world.national_admin, term=term)
    assert (event[0].action, event[0].target_id, event[0].target_label) == (
        "moderation.term_removed",
        term_id,
        "kata kasar",
    )
    assert not BannedTerm.objects.exists()


# --- Siaran --------------------------------------------------------------------------------------


def siaran_fields(siaran, actor, role, action, province="35", regency="") -> dict:
    return {
        "actor_id": actor.pk, "actor_role": role, "action": action, "target_kind": "siaran",
        "target_id": siaran.pk, "target_label": siaran.title, "province_code": province,
        "regency_code": regency, "detail": {},
    }  # fmt: skip


def test_publish_a_siaran(world):
    siaran = make_siaran(world.jatim_admin, status="draft", provinces=[world.regions.jatim])
    with one_new_event() as event:
        siaran_services.siaran_publish(siaran=siaran, actor=world.jatim_admin)
    assert fields(event[0]) == siaran_fields(siaran, world.jatim_admin, JATIM, "siaran.published")


def test_change_a_published_siaran(world):
    siaran = make_siaran(world.surabaya_admin, regencies=[world.regions.surabaya])
    data = siaran_services.SiaranData(
        office_name="Diskominfo Surabaya", title="Vaksinasi diundur", body="Isi baru.",
        regency_ids={"35.78"},
    )  # fmt: skip
    with one_new_event() as event:
        siaran_services.siaran_update(siaran=siaran, actor=world.surabaya_admin, data=data)
    assert fields(event[0]) == siaran_fields(
        siaran, world.surabaya_admin, SURABAYA, "siaran.updated", regency="35.78"
    )
    draft = make_siaran(world.surabaya_admin, status="draft", regencies=[world.regions.surabaya])
    with no_new_event():  # a draft is nobody's business yet
        siaran_services.siaran_update(siaran=draft, actor=world.surabaya_admin, data=data)


def test_withdraw_a_siaran(world):
    siaran = make_siaran(world.national_admin, national=True)
    with one_new_event() as event:
        siaran_services.siaran_withdraw(siaran=siaran, actor=world.national_admin)
    assert fields(event[0]) == siaran_fields(
        siaran, world.national_admin, NATIONAL, "siaran.withdrawn", province=""
    )


# --- Aspirations worked by staff ---------------------------------------------------------------


def aspirasi_fields(aspirasi, actor, action, **detail) -> dict:
    return {
        "actor_id": actor.pk, "actor_role": SURABAYA, "action": action,
        "target_kind": "aspirasi", "target_id": aspirasi.pk,
        "target_label": f"#{aspirasi.pk} · Infrastruktur", "province_code": "35",
        "regency_code": "35.78", "detail": detail,
    }  # fmt: skip


ASPIRATION_ACTIONS = {
    # name: (service call, audit action, detail)
    "forward": (
        lambda a, actor, other: aspiration_services.aspirasi_forward(
            aspirasi=a, actor=actor, office="Dinas PU", note="Catatan internal"
        ),
        "aspirasi.forwarded", {"office": "Dinas PU"},
    ),
    "answer": (
        lambda a, actor, other: aspiration_services.aspirasi_answer(
            aspirasi=a, actor=actor, answer="Sudah diperbaiki."
        ),
        "aspirasi.answered", {},
    ),
    "close": (
        lambda a, actor, other: aspiration_services.aspirasi_close(
            aspirasi=a, actor=actor, reason="Selesai."
        ),
        "aspirasi.closed", {"reason": "Selesai."},
    ),
    "merge": (
        lambda a, actor, other: aspiration_services.aspirasi_merge(
            aspirasi=a, actor=actor, into=other
        ),
        "aspirasi.merged", None,
    ),
    "spam": (
        lambda a, actor, other: aspiration_services.aspirasi_mark_spam(aspirasi=a, actor=actor),
        "aspirasi.spam", {},
    ),
}  # fmt: skip


@pytest.mark.parametrize("name", sorted(ASPIRATION_ACTIONS))
def test_an_aspiration_worked_by_staff(world, name):
    call, action, detail = ASPIRATION_ACTIONS[name]
    aspirasi = make_aspirasi(community=world.kim_a)
    other = make_aspirasi(community=world.kim_a, text="Lampu jalan yang sama.")
    with one_new_event() as event:
        call(aspirasi, world.surabaya_admin, other)
    expected = detail if detail is not None else {"into": other.pk}
    assert fields(event[0]) == aspirasi_fields(aspirasi, world.surabaya_admin, action, **expected)
    assert "Lampu jalan" not in str(fields(event[0]))  # never the citizen's text


@pytest.mark.parametrize("name", sorted(ASPIRATION_ACTIONS))
def test_an_aspiration_worked_by_the_kims_own_editor_is_not_a_staff_action(world, name):
    call, _action, _detail = ASPIRATION_ACTIONS[name]
    aspirasi = make_aspirasi(community=world.kim_a)
    other = make_aspirasi(community=world.kim_a, text="Lampu jalan yang sama.")
    with no_new_event():
        call(aspirasi, world.a_editor, other)


# --- Staff scopes --------------------------------------------------------------------------------


def test_grant_and_remove_a_staff_scope(world):
    with one_new_event() as event:
        scope = account_services.staff_scope_add(
            actor=world.national_admin, email=world.outsider.email, level="province",
            province=world.regions.jabar,
        )  # fmt: skip
    assert fields(event[0]) == {
        "actor_id": world.national_admin.pk, "actor_role": NATIONAL,
        "action": "staff.scope_granted", "target_kind": "account",
        "target_id": world.outsider.pk, "target_label": "admin provinsi Jawa Barat",
        "province_code": "32", "regency_code": "", "detail": {"level": "province"},
    }  # fmt: skip
    with one_new_event() as event:
        account_services.staff_scope_remove(actor=world.national_admin, scope=scope)
    assert fields(event[0]) == {
        **fields(AuditEvent.objects.get(action="staff.scope_granted")),
        "action": "staff.scope_removed",
    }


def test_a_regency_scope_carries_its_province(world):
    with one_new_event() as event:
        account_services.staff_scope_add(
            actor=world.national_admin, email=world.outsider.email, level="regency",
            regency=world.regions.malang,
        )  # fmt: skip
    assert (event[0].target_label, event[0].province_code, event[0].regency_code) == (
        "admin Kabupaten Malang",
        "35",
        "35.07",
    )


# --- What every event holds, and when -----------------------------------------------------------


def test_the_role_is_the_one_held_at_that_moment(world):
    community_services.community_set_trusted(
        community=world.kim_a, actor=world.jatim_admin, trusted=True
    )
    account_services.staff_scope_add(
        actor=world.national_admin, email=world.jatim_admin.email, level="regency",
        regency=world.regions.bandung,
    )  # fmt: skip
    community_services.community_set_trusted(
        community=world.kim_a, actor=world.jatim_admin, trusted=False
    )
    roles = list(
        AuditEvent.objects.filter(action=Action.KIM_TRUST_CHANGED)
        .order_by("pk")
        .values_list("actor_role", flat=True)
    )
    assert roles == [JATIM, "admin provinsi Jawa Timur; admin Kota Bandung"]


def test_an_action_that_fails_leaves_no_event(world):
    """The event is written in the action's transaction: a failure after it rolls both back."""
    with (
        mock.patch.object(community_services, "_notify_applicant", side_effect=RuntimeError),
        pytest.raises(RuntimeError),
    ):
        community_services.community_verify(community=world.pending_a, actor=world.surabaya_admin)
    assert not AuditEvent.objects.exists()
    world.pending_a.refresh_from_db()
    assert world.pending_a.status == Community.Status.PENDING


def test_a_refused_action_leaves_no_event(world):
    with pytest.raises(PermissionError):
        community_services.community_verify(community=world.pending_b, actor=world.surabaya_admin)
    with pytest.raises(PermissionError):
        account_services.staff_scope_remove(
            actor=world.jatim_admin, scope=world.jatim_admin.staff_scopes.get()
        )
    assert not AuditEvent.objects.exists()


def test_no_event_holds_a_name_an_email_or_a_phone(world):
    community_services.community_verify(community=world.pending_a, actor=world.surabaya_admin)
    community_services.community_suspend(
        community=world.kim_a, actor=world.national_admin, reason="Dibekukan."
    )
    account_services.staff_scope_add(
        actor=world.national_admin, email=world.outsider.email, level="national"
    )
    aspirasi = make_aspirasi(
        community=world.kim_b, contact_name="Budi Santoso", contact_phone="081234567890",
        contact_email="budi@example.id",
    )  # fmt: skip
    aspiration_services.aspirasi_answer(
        aspirasi=aspirasi, actor=world.bandung_admin, answer="Sudah."
    )
    rows = [str(fields(event)) for event in AuditEvent.objects.all()]
    assert len(rows) == 4
    people = [world.surabaya_admin, world.national_admin, world.outsider, world.bandung_admin]
    for row in rows:
        # The phone whole, as 08… or +628… (a short piece of it could be a row id by chance).
        assert "@" not in row and "Budi" not in row and "81234567890" not in row, row
        for person in people:
            assert person.full_name not in row, row


def test_every_action_has_a_test():
    """A new Action needs its test here (or in test_signin.py)."""
    here = Path(__file__)
    source = here.read_text() + here.with_name("test_signin.py").read_text()
    missing = [value for value in Action.values if f'"{value}"' not in source]
    assert not missing


def test_an_unknown_action_is_refused_and_nothing_is_written(world):
    """A misspelt action code must not slip into the log as an event nobody can filter for."""
    from audit import services as audit_services

    with no_new_event(), pytest.raises(ValueError, match="unknown audit action"):
        audit_services.record(world.national_admin, "kim.renamed", world.kim_a)
