"""Edits of posts on air (issue 7, hole 1): approval covers a version, not a post forever.

An edit of a published or scheduled post by someone who could not publish it directly waits as a
revision in the moderation queue while the approved text stays public; a direct publisher's edit
applies at once and is checked again. Every change of a public text is a moderation event.
"""

import json
import re
from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from posts import services
from posts.models import BannedTerm, Image, ModerationEvent, Post, PostRevision
from posts.services import PostData
from posts.text import render_body
from tests.factories import jpeg_upload, make_post
from tests.support import HostClient

pytestmark = pytest.mark.django_db

HOST = "kim-ketabang.localhost"
EDITOR = "/kim/kim-ketabang/tulisan"
# Session (when not cached), user, the device of the second step, staff scopes, the provinces
# of the region select, the KIMs with items, the count and one page of posts with their KIMs,
# the count and one page of revisions with their posts and KIMs.
QUEUE_QUERIES = 10


def body(response) -> str:
    return response.content.decode()


def on_air(community, *, title="Kerja bakti RW 3", status="published", **fields) -> Post:
    text = fields.pop("body", "Warga membersihkan saluran air bersama.")
    return make_post(
        community,
        title=title,
        status=status,
        summary=fields.pop("summary", "Ringkasan yang disetujui."),
        body=text,
        body_html=render_body(text),
        published_at=timezone.now() - timedelta(hours=1) if status == "published" else None,
        **fields,
    )


def form(**overrides) -> dict:
    data = {
        "kind": "kegiatan",
        "title": "Kerja bakti RW 3",
        "summary": "Ringkasan yang disetujui.",
        "body": "Warga membersihkan saluran air bersama.",
        "tags": "",
        "price": "",
        "order_whatsapp": "",
        "claim": "",
        "verdict": "",
        "sources": "",
        "event_date": "",
        "event_time": "",
        "event_place": "",
    }
    data.update(overrides)
    return data


def data(**overrides) -> PostData:
    values = {
        "kind": "kegiatan",
        "title": "Kerja bakti RW 3",
        "summary": "Ringkasan yang disetujui.",
        "body": "Warga membersihkan saluran air bersama.",
    }
    values.update(overrides)
    return PostData(**values)


def public_page(post: Post) -> str:
    """The post's public page, without the report form's CSRF token (new on every request)."""
    response = HostClient().get(f"/kabar/{post.slug}/", host=HOST)
    assert response.status_code == 200
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", body(response))


def og_title(page: str) -> str:
    return re.search(r'<meta property="og:title" content="([^"]*)">', page).group(1)


def json_ld(page: str) -> dict:
    (block,) = re.findall(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    return json.loads(block)


def actions(post: Post) -> list[str]:
    return list(
        ModerationEvent.objects.filter(post=post).order_by("pk").values_list("action", flat=True)
    )


def last_event(post: Post, action: str) -> ModerationEvent:
    return ModerationEvent.objects.filter(post=post, action=action).latest("pk")


@pytest.fixture
def editor(client, world):
    client.force_login(world.a_editor)
    return client


def edit_as_editor(editor, post, capture, **changes):
    with capture(execute=True):
        response = editor.post(f"{EDITOR}/{post.pk}/", form(**changes), kelola=True)
    assert response.status_code == 302
    return response


# --- The hole, reproduced ------------------------------------------------------------------------


def test_untrusted_editors_edit_waits_and_the_public_page_does_not_change(
    editor, world, django_capture_on_commit_callbacks
):
    post = on_air(world.kim_a, author=world.a_contributor)
    before = public_page(post)
    assert og_title(before) == "Kerja bakti RW 3"

    edit_as_editor(
        editor,
        post,
        django_capture_on_commit_callbacks,
        title="Judul dibajak",
        summary="Ringkasan dibajak",
        body="Isi dibajak.",
    )

    after = public_page(post)
    assert after == before  # the page, its Open Graph tags and its JSON-LD alike
    assert "dibajak" not in after
    assert og_title(after) == "Kerja bakti RW 3"
    assert json_ld(after)["headline"] == "Kerja bakti RW 3"
    post.refresh_from_db()
    assert (post.title, post.body, post.status) == (
        "Kerja bakti RW 3",
        "Warga membersihkan saluran air bersama.",
        "published",
    )
    revision = PostRevision.objects.get(post=post)
    assert revision.status == "pending" and revision.author == world.a_editor
    assert (revision.title, revision.body) == ("Judul dibajak", "Isi dibajak.")
    assert revision.checks_done and revision.checks["clean"]  # the checks ran on the revision
    assert actions(post) == ["revision_submitted", "checked"]
    assert last_event(post, "revision_submitted").details["fields"] == ["title", "summary", "body"]
    assert last_event(post, "revision_submitted").actor == world.a_editor


def test_the_author_sees_that_the_edit_waits_and_gets_the_pending_text_back(
    editor, world, django_capture_on_commit_callbacks
):
    post = on_air(world.kim_a)
    page = body(editor.get(f"{EDITOR}/{post.pk}/", kelola=True))
    assert "ditinjau Diskominfo lebih dulu" in page and "Simpan & ajukan perubahan" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = editor.post(
            f"{EDITOR}/{post.pk}/", form(body="Isi yang baru."), kelola=True, follow=True
        )
    page = body(response)
    assert "Perubahan disimpan dan menunggu persetujuan Diskominfo." in page
    assert "Perubahan Anda menunggu persetujuan Diskominfo" in page
    assert "Isi yang baru.</textarea>" in page  # the pending text, not the one on air
    assert "Perubahan diajukan" in page  # in the history
    assert "Bagian yang berubah: isi" in page


def test_the_revision_is_in_the_queue_with_a_diff(
    client, editor, world, django_capture_on_commit_callbacks
):
    post = on_air(world.kim_a, body="Warga membersihkan saluran air bersama.")
    edit_as_editor(
        editor,
        post,
        django_capture_on_commit_callbacks,
        body="Warga membersihkan <script>alert(1)</script> saluran bersama.",
    )
    revision = PostRevision.objects.get(post=post)
    moderator = HostClient()
    moderator.force_login(world.surabaya_admin)
    queue = body(moderator.get("/moderasi/", kelola=True))
    assert f'href="/moderasi/perubahan/{revision.pk}/"' in queue
    assert "1 perubahan menunggu keputusan" in queue
    page = body(moderator.get(f"/moderasi/perubahan/{revision.pk}/", kelola=True))
    assert (
        "Warga membersihkan <ins>&lt;script&gt;alert(1)&lt;/script&gt; </ins>saluran "
        "<del>air </del>bersama."
    ) in page
    assert "<script>alert" not in page
    assert "Setujui perubahan" in page and "Tolak perubahan" in page


# --- Decisions -----------------------------------------------------------------------------------


@pytest.fixture
def pending(world, django_capture_on_commit_callbacks):
    post = on_air(world.kim_a, author=world.a_contributor)
    with django_capture_on_commit_callbacks(execute=True):
        revision = services.revision_submit(
            post=post,
            actor=world.a_editor,
            data=data(title="Kerja bakti RW 3 dan RW 4", body="Warga dua RW bergotong royong."),
        )
    return revision


def test_approving_applies_the_revision_to_every_public_page(client, world, pending):
    post = pending.post
    client.force_login(world.surabaya_admin)
    response = client.post(f"/moderasi/perubahan/{pending.pk}/setujui/", kelola=True)
    assert response.status_code == 302
    post.refresh_from_db()
    pending.refresh_from_db()
    assert pending.status == "approved" and pending.decided_by == world.surabaya_admin
    assert post.title == "Kerja bakti RW 3 dan RW 4" and post.status == "published"
    assert post.slug == "kerja-bakti-rw-3"  # a published address does not change
    page = public_page(post)
    assert og_title(page) == "Kerja bakti RW 3 dan RW 4"
    assert json_ld(page)["headline"] == "Kerja bakti RW 3 dan RW 4"
    assert "Warga dua RW bergotong royong." in page
    event = last_event(post, "revision_approved")
    assert event.actor == world.surabaya_admin and event.details["fields"] == ["title", "body"]
    assert not PostRevision.objects.pending().exists()


def test_rejecting_keeps_the_text_on_air_and_emails_the_author(
    client, world, pending, django_capture_on_commit_callbacks
):
    post = pending.post
    before = public_page(post)
    client.force_login(world.surabaya_admin)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/moderasi/perubahan/{pending.pk}/tolak/",
            {"reason": "Sebutkan sumber informasinya."},
            kelola=True,
        )
    assert response.status_code == 302
    assert public_page(post) == before
    pending.refresh_from_db()
    assert pending.status == "rejected" and pending.reason == "Sebutkan sumber informasinya."
    # The email goes to whoever wrote the edit (the editor), not the post's first author.
    assert [m.to for m in mail.outbox] == [[world.a_editor.email]]
    assert "Sebutkan sumber informasinya." in mail.outbox[0].body
    assert "/kim/kim-ketabang/tulisan/" in mail.outbox[0].body
    event = last_event(post, "revision_rejected")
    assert event.actor == world.surabaya_admin and event.reason == "Sebutkan sumber informasinya."
    editor = HostClient()
    editor.force_login(world.a_editor)
    page = body(editor.get(f"{EDITOR}/{post.pk}/", kelola=True))
    assert "Perubahan terakhir Anda tidak disetujui" in page
    assert "Sebutkan sumber informasinya." in page


def test_rejecting_needs_a_reason(client, world, pending):
    client.force_login(world.surabaya_admin)
    response = client.post(f"/moderasi/perubahan/{pending.pk}/tolak/", {"reason": " "}, kelola=True)
    assert response.status_code == 200
    assert "Tuliskan alasannya" in body(response)
    pending.refresh_from_db()
    assert pending.status == "pending" and not mail.outbox


def test_a_stale_second_approval_is_told_it_was_already_decided(world, pending):
    first, second = HostClient(), HostClient()
    first.force_login(world.surabaya_admin)
    second.force_login(world.jatim_admin)
    assert "Setujui perubahan" in body(
        second.get(f"/moderasi/perubahan/{pending.pk}/", kelola=True)
    )
    assert first.post(f"/moderasi/perubahan/{pending.pk}/setujui/", kelola=True).status_code == 302
    response = second.post(f"/moderasi/perubahan/{pending.pk}/setujui/", kelola=True)
    assert response.status_code == 200
    assert "sudah diputuskan" in body(response)
    assert actions(pending.post).count("revision_approved") == 1
    # The same at the service level, for a reject racing an approval.
    with pytest.raises(ValidationError, match="sudah diputuskan"):
        services.revision_reject(revision=pending, actor=world.jatim_admin, reason="Terlambat")


def test_a_newer_edit_supersedes_the_pending_one(
    world, pending, django_capture_on_commit_callbacks
):
    post = pending.post
    with django_capture_on_commit_callbacks(execute=True):
        newer = services.revision_submit(post=post, actor=world.a_admin, data=data(body="Lagi."))
    pending.refresh_from_db()
    assert pending.status == "superseded" and newer.status == "pending"
    assert PostRevision.objects.pending().get() == newer
    assert last_event(post, "revision_submitted").details["superseded"] == [pending.pk]
    with pytest.raises(ValidationError, match="sudah diputuskan"):
        services.revision_approve(revision=pending, actor=world.surabaya_admin)
    # Saving the same proposal again changes nothing; going back to the text on air withdraws it.
    assert (
        services.revision_submit(post=post, actor=world.a_admin, data=data(body="Lagi.")) == newer
    )
    assert services.revision_submit(post=post, actor=world.a_admin, data=data()) is None
    assert not PostRevision.objects.pending().exists()


def test_a_scheduled_post_is_edited_through_a_revision_and_keeps_its_schedule(
    editor, world, django_capture_on_commit_callbacks
):
    when = timezone.now() + timedelta(days=2)
    post = on_air(world.kim_a, status="scheduled", publish_at=when)
    page = body(editor.get(f"{EDITOR}/{post.pk}/", kelola=True))
    assert 'name="publish_at"' not in page  # the approved schedule is not part of a revision
    edit_as_editor(editor, post, django_capture_on_commit_callbacks, title="Judul baru")
    post.refresh_from_db()
    assert (post.title, post.status, post.publish_at) == ("Kerja bakti RW 3", "scheduled", when)
    assert PostRevision.objects.pending().get().title == "Judul baru"


def test_taking_a_post_down_closes_its_pending_revision(world, pending):
    services.post_take_down(post=pending.post, actor=world.surabaya_admin, reason="Hoaks")
    pending.refresh_from_db()
    assert pending.status == "superseded"
    with pytest.raises(ValidationError):
        services.revision_approve(revision=pending, actor=world.surabaya_admin)


def test_flagged_revision_checks_show_in_the_queue(
    client, world, django_capture_on_commit_callbacks
):
    BannedTerm.objects.create(term="judi")
    post = on_air(world.kim_a)
    with django_capture_on_commit_callbacks(execute=True):
        revision = services.revision_submit(
            post=post, actor=world.a_editor, data=data(body="Main judi di balai RW.")
        )
    revision.refresh_from_db()
    assert revision.checks["banned_terms"] == ["judi"] and not revision.checks["clean"]
    client.force_login(world.surabaya_admin)
    flagged = body(client.get("/moderasi/?checks=flagged", kelola=True))
    assert f"/moderasi/perubahan/{revision.pk}/" in flagged and "Kata terlarang:" in flagged
    clean = body(client.get("/moderasi/?checks=clean", kelola=True))
    assert f"/moderasi/perubahan/{revision.pk}/" not in clean


# --- Direct publishers ---------------------------------------------------------------------------


@pytest.fixture
def trusted(world):
    world.kim_a.is_trusted = True
    world.kim_a.save()
    return world


def test_a_trusted_editors_clean_edit_applies_at_once_and_is_checked_again(
    editor, trusted, django_capture_on_commit_callbacks
):
    post = on_air(trusted.kim_a)
    page = body(editor.get(f"{EDITOR}/{post.pk}/", kelola=True))
    assert "langsung tayang, lalu diperiksa otomatis" in page
    edit_as_editor(editor, post, django_capture_on_commit_callbacks, title="Judul diperbarui")
    post.refresh_from_db()
    assert post.status == "published" and post.title == "Judul diperbarui"
    assert og_title(public_page(post)) == "Judul diperbarui"
    assert actions(post) == ["edited", "checked"]
    edited = last_event(post, "edited")
    assert edited.actor == trusted.a_editor and edited.details["fields"] == ["title"]
    assert last_event(post, "checked").details["clean"]
    assert not PostRevision.objects.exists()


def test_a_trusted_editors_edit_with_a_banned_term_goes_back_to_the_queue(
    editor, trusted, django_capture_on_commit_callbacks
):
    BannedTerm.objects.create(term="judi online")
    post = on_air(trusted.kim_a)
    published_at = post.published_at
    edit_as_editor(
        editor, post, django_capture_on_commit_callbacks, body="Daftar JUDI ONLINE di sini."
    )
    post.refresh_from_db()
    assert post.status == "submitted" and post.checks["banned_terms"] == ["judi online"]
    assert actions(post) == ["edited", "checked", "requeued"]
    assert HostClient().get(f"/kabar/{post.slug}/", host=HOST).status_code == 404
    moderator = HostClient()
    moderator.force_login(trusted.surabaya_admin)
    assert f'href="/moderasi/{post.pk}/"' in body(moderator.get("/moderasi/", kelola=True))
    # Approved again, it keeps the date it was first published.
    services.post_approve(post=post, actor=trusted.surabaya_admin)
    post.refresh_from_db()
    assert post.status == "published" and post.published_at == published_at


def test_a_direct_edit_supersedes_a_pending_revision(world, pending):
    world.kim_a.is_trusted = True
    world.kim_a.save()
    post = Post.objects.get(pk=pending.post_id)
    services.post_update(post=post, actor=world.a_editor, data=data(title="Langsung"))
    pending.refresh_from_db()
    assert pending.status == "superseded"
    assert last_event(post, "edited").details["superseded"] == [pending.pk]


def test_a_check_of_an_older_text_does_not_decide_for_a_newer_one(world, monkeypatch):
    world.kim_a.is_trusted = True
    world.kim_a.save()
    BannedTerm.objects.create(term="judi")
    post = on_air(world.kim_a)
    services.post_update(post=post, actor=world.a_editor, data=data(body="Ada judi."))
    text_checks = services._text_checks

    def slow_checks(**kwargs):
        # The author saves a clean text while the check of the flagged one is running.
        result = text_checks(**kwargs)
        fresh = Post.objects.get(pk=post.pk)
        services.post_update(post=fresh, actor=world.a_editor, data=data(body="Bersih."))
        return result

    monkeypatch.setattr(services, "_text_checks", slow_checks)
    assert services.post_run_edit_checks(post_id=post.pk) is None
    post.refresh_from_db()
    assert post.status == "published" and not post.checks_done
    monkeypatch.setattr(services, "_text_checks", text_checks)
    assert services.post_run_edit_checks(post_id=post.pk)["clean"]
    post.refresh_from_db()
    assert post.status == "published" and post.checks_done and post.body == "Bersih."
    assert services.post_run_edit_checks(post_id=post.pk)["clean"]  # a second run: no change
    assert actions(post).count("checked") == 1


# --- Photos of a post on air ---------------------------------------------------------------------


def test_an_untrusted_editor_cannot_add_or_caption_photos_of_a_post_on_air(
    editor, world, django_capture_on_commit_callbacks
):
    post = on_air(world.kim_a)
    image = Image.objects.create(
        community=post.community, post=post, original="originals/x.jpg", status="ready"
    )
    page = body(editor.get(f"{EDITOR}/{post.pk}/", kelola=True))
    assert 'name="photos"' not in page and "Foto tulisan yang sedang tayang" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = editor.post(
            f"{EDITOR}/{post.pk}/",
            {**form(), "photos": [jpeg_upload("baru.jpg", size=(64, 48))]},
            kelola=True,
            follow=True,
        )
    assert "tidak diunggah" in body(response)
    assert post.images.count() == 1
    response = editor.post(
        f"{EDITOR}/{post.pk}/foto/{image.pk}/",
        {f"foto{image.pk}-caption": "Dibajak", f"foto{image.pk}-alt_text": "Dibajak"},
        kelola=True,
        follow=True,
    )
    assert "hanya dapat diubah oleh KIM tepercaya" in body(response)
    image.refresh_from_db()
    assert image.caption == ""
    with pytest.raises(ValidationError):
        services.post_photo_update(image=image, actor=world.a_editor, caption="x", alt_text="x")
    # Removing a photo adds nothing unreviewed to the page: allowed, and recorded.
    with django_capture_on_commit_callbacks(execute=True):
        editor.post(f"{EDITOR}/{post.pk}/foto/{image.pk}/hapus/", kelola=True)
    assert not post.images.exists()
    assert last_event(post, "edited").details == {"fields": ["photos"], "photos": "removed"}


def test_a_trusted_editors_caption_change_on_air_is_recorded(trusted):
    post = on_air(trusted.kim_a)
    image = Image.objects.create(
        community=post.community, post=post, original="originals/x.jpg", status="ready"
    )
    services.post_photo_update(
        image=image, actor=trusted.a_editor, caption="Warga di balai", alt_text=""
    )
    assert last_event(post, "edited").details == {"fields": ["photos"], "photos": "caption"}


# --- Permissions, checked at the service ---------------------------------------------------------


def test_only_the_kims_own_editors_submit_a_revision(world):
    post = on_air(world.kim_a, author=world.a_contributor)
    for outsider in (world.b_editor, world.b_admin, world.outsider, world.surabaya_admin):
        with pytest.raises(PermissionError):
            services.revision_submit(post=post, actor=outsider, data=data(title="Dibajak"))
        with pytest.raises(PermissionError):
            services.post_update(post=post, actor=outsider, data=data(title="Dibajak"))
    # A contributor, even the post's author, does not edit a post on air at all.
    with pytest.raises(PermissionError):
        services.revision_submit(post=post, actor=world.a_contributor, data=data(title="X"))
    assert not PostRevision.objects.exists()
    assert services.revision_submit(post=post, actor=world.a_editor, data=data(title="Baru"))


def test_only_moderators_of_the_region_decide_a_revision(world, pending):
    for stranger in (world.bandung_admin, world.malang_admin, world.jabar_admin, world.a_admin):
        with pytest.raises(PermissionError):
            services.revision_approve(revision=pending, actor=stranger)
        with pytest.raises(PermissionError):
            services.revision_reject(revision=pending, actor=stranger, reason="Tidak")
    pending.refresh_from_db()
    assert pending.status == "pending"
    services.revision_approve(revision=pending, actor=world.jatim_admin)
    assert Post.objects.get(pk=pending.post_id).title == "Kerja bakti RW 3 dan RW 4"


def test_the_queue_region_narrows_revisions_and_their_kims(client, world, monkeypatch):
    """?wilayah= narrows pending revisions as it narrows posts; past the KIM select's cap, the
    KIMs offered in a region are those with items there, revisions included."""
    from posts import selectors

    for community, title in ((world.kim_a, "Perubahan A"), (world.kim_b, "Perubahan B")):
        post = on_air(community, title=f"Tayang {title}", slug=f"tayang-{community.pk}")
        PostRevision.objects.create(
            community=community, post=post, author=None, kind="berita", title=title
        )
    client.force_login(world.national_admin)
    page = body(client.get("/moderasi/?wilayah=32", kelola=True))
    assert "Perubahan: Tayang Perubahan B" in page and "Tayang Perubahan A" not in page
    assert "1 perubahan menunggu keputusan" in page
    monkeypatch.setattr(selectors, "KIM_CHOICES_MAX", 1)
    assert 'name="kim"' not in body(client.get("/moderasi/", kelola=True))  # two KIMs: capped
    page = body(client.get("/moderasi/?wilayah=32", kelola=True))
    select = re.search(r'<select name="kim".*?</select>', page, re.S).group(0)
    assert re.findall(r'<option value="(\d+)"', select) == [str(world.kim_b.pk)]


# --- Query counts --------------------------------------------------------------------------------


def test_queue_query_count_stays_bounded_with_revisions(
    client, world, django_assert_max_num_queries
):
    client.force_login(world.national_admin)
    for i in range(3):
        post = on_air(world.kim_a, title=f"Tayang {i}", slug=f"tayang-{i}")
        PostRevision.objects.create(
            community=world.kim_a, post=post, author=world.a_editor, kind="berita", title=f"R{i}"
        )
    with django_assert_max_num_queries(QUEUE_QUERIES):
        assert client.get("/moderasi/", kelola=True).status_code == 200
    for i in range(30):
        community = world.kim_a if i % 2 else world.kim_b
        post = on_air(community, title=f"Lagi {i}", slug=f"lagi-{i}")
        PostRevision.objects.create(
            community=community, post=post, author=None, kind="berita", title=f"S{i}"
        )
    with django_assert_max_num_queries(QUEUE_QUERIES):
        page = body(client.get("/moderasi/", kelola=True))
    assert "33 perubahan menunggu keputusan" in page and "Halaman 1 dari 2" in page
