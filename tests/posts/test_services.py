"""Posts through their services: writing, checks, moderation claims, schedule, escalation."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from posts import images, services
from posts.models import BannedTerm, ModerationEvent, Post
from posts.services import PostData
from tests.factories import jpeg_upload, make_post

pytestmark = pytest.mark.django_db


def write(world, author=None, **data):
    data.setdefault("kind", "kegiatan")
    data.setdefault("title", "Kerja bakti di RW 03")
    data.setdefault("body", "Warga membersihkan selokan bersama.")
    return services.post_create(
        community=world.kim_a, author=author or world.a_contributor, data=PostData(**data)
    )


def events(post):
    return list(ModerationEvent.objects.filter(post=post).values_list("action", flat=True))


def test_body_is_rendered_and_sanitised(world):
    post = write(
        world,
        body="## Hasil\n\n**Tebal** <script>alert(1)</script> [tautan](https://kominfo.go.id) "
        "dan javascript:alert(1) <a href='javascript:x'>x</a>\n\n# Judul besar",
    )
    html = post.body_html
    assert "<script" not in html and "<strong>Tebal</strong>" in html
    assert '<a href="https://kominfo.go.id" rel="nofollow ugc noopener">tautan</a>' in html
    assert 'href="javascript' not in html
    assert "<h2>Hasil</h2>" in html and "<h2>Judul besar</h2>" in html and "<h1" not in html


def test_slugs_are_unique_within_a_kim_only(world):
    first, second = write(world), write(world)
    other = services.post_create(
        community=world.kim_b,
        author=world.b_editor,
        data=PostData(kind="berita", title="Kerja bakti di RW 03"),
    )
    assert (first.slug, second.slug, other.slug) == (
        "kerja-bakti-di-rw-03", "kerja-bakti-di-rw-03-2", "kerja-bakti-di-rw-03",
    )  # fmt: skip


def test_only_members_write_and_contributors_edit_only_their_own_drafts(world):
    with pytest.raises(PermissionError):
        write(world, author=world.b_admin)
    post = write(world)
    assert services.can_edit(world.a_contributor, post)
    assert not services.can_edit(world.b_editor, post)
    other = write(world, author=world.a_editor)
    assert not services.can_edit(world.a_contributor, other)
    services.post_submit(post=post, actor=world.a_contributor)
    assert not services.can_edit(world.a_contributor, post)
    assert services.can_edit(world.a_editor, post)


def test_submission_runs_checks_then_waits_in_the_queue(world, django_capture_on_commit_callbacks):
    BannedTerm.objects.create(term="judi online")
    post = write(world, body="Promo JUDI ONLINE " + " ".join(f"https://x{i}.id" for i in range(6)))
    with django_capture_on_commit_callbacks(execute=True):
        services.post_submit(post=post, actor=world.a_contributor)
    post.refresh_from_db()
    assert post.status == "submitted" and post.checks_done
    assert post.checks["banned_terms"] == ["judi online"]
    assert post.checks["too_many_links"] and not post.checks["clean"]
    assert events(post) == ["submitted", "checked"]


def test_an_editor_of_a_trusted_kim_publishes_after_clean_checks(
    world, django_capture_on_commit_callbacks
):
    world.kim_a.is_trusted = True
    world.kim_a.save()
    post = write(world, author=world.a_editor)
    with django_capture_on_commit_callbacks(execute=True):
        images.image_add(post=post, file=jpeg_upload())
    with django_capture_on_commit_callbacks(execute=True):
        services.post_submit(post=post, actor=world.a_editor)
    post.refresh_from_db()
    assert post.status == "published" and post.published_at
    assert events(post) == ["submitted", "checked", "published"]


def test_a_contributor_of_a_trusted_kim_still_goes_through_the_queue(
    world, django_capture_on_commit_callbacks
):
    world.kim_a.is_trusted = True
    world.kim_a.save()
    post = write(world)
    with django_capture_on_commit_callbacks(execute=True):
        services.post_submit(post=post, actor=world.a_contributor)
    assert Post.objects.get(pk=post.pk).status == "submitted"


def test_checks_wait_while_photos_are_processing(world):
    post = write(world)
    images.image_add(post=post, file=jpeg_upload())  # not processed: no commit callbacks run
    services.post_submit(post=post, actor=world.a_contributor)
    assert services.post_run_checks(post_id=post.pk, publish_if_clean=False) is None
    assert not Post.objects.get(pk=post.pk).checks_done


def test_duplicates_are_flagged(world):
    first = write(world)
    services.post_submit(post=first, actor=world.a_contributor)
    second = write(world)
    services.post_submit(post=second, actor=world.a_contributor)
    checks = services.post_run_checks(post_id=second.pk, publish_if_clean=False)
    assert checks["duplicate_of"] == first.pk


def test_a_post_with_a_failed_photo_cannot_be_submitted(world, django_capture_on_commit_callbacks):
    post = write(world)
    with django_capture_on_commit_callbacks(execute=True):
        images.image_add(post=post, file=jpeg_upload())
        from django.core.files.uploadedfile import SimpleUploadedFile

        images.image_add(post=post, file=SimpleUploadedFile("x.jpg", b"bukan foto"))
    with pytest.raises(ValidationError):
        services.post_submit(post=post, actor=world.a_contributor)


def test_two_admins_deciding_at_once_make_one_decision(world):
    post = write(world)
    services.post_submit(post=post, actor=world.a_contributor)
    first_view = Post.objects.get(pk=post.pk)
    second_view = Post.objects.get(pk=post.pk)
    services.post_approve(post=first_view, actor=world.surabaya_admin)
    with pytest.raises(ValidationError, match="sudah diputuskan"):
        services.post_reject(post=second_view, actor=world.jatim_admin, reason="Tidak layak")
    post.refresh_from_db()
    assert post.status == "published" and post.claimed_by == world.surabaya_admin
    assert events(post).count("approved") == 1 and "rejected" not in events(post)


def test_moderators_only_within_their_region(world):
    post = write(world)
    services.post_submit(post=post, actor=world.a_contributor)
    for outsider in (world.bandung_admin, world.malang_admin, world.jabar_admin, world.a_admin):
        with pytest.raises(PermissionError):
            services.post_approve(post=post, actor=outsider)


def test_rejection_reaches_the_author_who_fixes_and_resubmits(
    world, django_capture_on_commit_callbacks
):
    post = write(world)
    services.post_submit(post=post, actor=world.a_contributor)
    with django_capture_on_commit_callbacks(execute=True):
        services.post_reject(post=post, actor=world.surabaya_admin, reason="Foto buram")
    assert mail.outbox[-1].to == ["a-contributor@example.id"]
    assert "Foto buram" in mail.outbox[-1].body
    assert "/kim/kim-ketabang/tulisan/" in mail.outbox[-1].body
    post.refresh_from_db()
    assert services.can_edit(world.a_contributor, post)
    services.post_update(
        post=post,
        actor=world.a_contributor,
        data=PostData(kind="kegiatan", title="Foto baru", body="Sudah diganti."),
    )
    services.post_submit(post=post, actor=world.a_contributor)
    assert Post.objects.get(pk=post.pk).status == "submitted"


def test_take_down_needs_a_reason_and_closes_reports(world):
    post = make_post(world.kim_a, author=world.a_editor, status="published")
    with pytest.raises(ValidationError):
        services.post_take_down(post=post, actor=world.surabaya_admin, reason="")
    services.post_take_down(post=post, actor=world.surabaya_admin, reason="Melanggar privasi")
    assert Post.objects.get(pk=post.pk).status == "taken_down"


def test_scheduled_posts_publish_when_due(world):
    post = write(world, publish_at=timezone.now() + timedelta(hours=2))
    services.post_submit(post=post, actor=world.a_contributor)
    services.post_approve(post=post, actor=world.surabaya_admin)
    assert Post.objects.get(pk=post.pk).status == "scheduled"
    assert services.posts_publish_due() == 0
    Post.objects.filter(pk=post.pk).update(publish_at=timezone.now() - timedelta(minutes=1))
    assert services.posts_publish_due() == 1
    assert Post.objects.public().filter(pk=post.pk).exists()


def test_overdue_items_escalate_once_to_the_province(
    world, settings, django_capture_on_commit_callbacks
):
    post = write(world)
    services.post_submit(post=post, actor=world.a_contributor)
    Post.objects.filter(pk=post.pk).update(
        submitted_at=timezone.now() - timedelta(hours=settings.MODERATION_DEADLINE_HOURS + 1)
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert services.posts_escalate_overdue() == 1
    assert services.posts_escalate_overdue() == 0
    assert [m.to for m in mail.outbox] == [["diskominfo-jatim@example.id"]]
    assert Post.objects.get(pk=post.pk).escalated_at is not None


def test_reports_hide_a_post_after_enough_distinct_visitors(world, settings):
    settings.REPORTS_TO_HIDE = 2
    post = make_post(world.kim_a, status="published")
    services.report_create(post=post, reason="hoaks", details="", address="10.0.0.1")
    with pytest.raises(ValidationError):
        services.report_create(post=post, reason="hoaks", details="", address="10.0.0.1")
    assert not Post.objects.get(pk=post.pk).hidden_by_reports
    services.report_create(post=post, reason="spam", details="iklan", address="10.0.1.1")
    post.refresh_from_db()
    assert post.hidden_by_reports and post.open_reports == 2
    assert not Post.objects.public().filter(pk=post.pk).exists()
    services.reports_dismiss(post=post, actor=world.surabaya_admin, reason="Bukan hoaks")
    assert Post.objects.public().filter(pk=post.pk).exists()


def test_reports_are_rate_limited_per_visitor(world, settings):
    settings.REPORTS_PER_HOUR = 2
    posts = [make_post(world.kim_a, title=f"T{i}", status="published") for i in range(3)]
    services.report_create(post=posts[0], reason="spam", details="", address="10.0.0.9")
    services.report_create(post=posts[1], reason="spam", details="", address="10.0.0.9")
    with pytest.raises(ValidationError) as exc:
        services.report_create(post=posts[2], reason="spam", details="", address="10.0.0.9")
    assert exc.value.code == "rate"


def test_only_national_admins_edit_banned_terms(world):
    with pytest.raises(PermissionError):
        services.banned_term_add(actor=world.jatim_admin, term="x")
    term = services.banned_term_add(actor=world.national_admin, term="  Judi   Online ")
    assert term.term == "judi online"
