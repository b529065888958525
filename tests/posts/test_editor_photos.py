"""The editor's one save (issue 11): the photos' captions and alternative texts are part of the
post's form and saved with it, in one transaction, only for the post's own photos and under the
rules of public text; files chosen with a refused save are kept (attached to an existing post,
held for the writer's form when the post does not exist yet); every error names and links its
field."""

import re
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from kimportal.lib.storage import private_storage
from kimportal.models import OutboxTask
from posts import images, media, services, tasks
from posts.models import BannedTerm, Image, ModerationEvent, PendingPhoto, Post, PostRevision
from tests.factories import jpeg_upload, make_post
from tests.posts.test_editor import make_image, post_fields
from tests.posts.test_metadata_strip import assert_clean, photo_with_everything

pytestmark = pytest.mark.django_db

BASE = "/kim/kim-ketabang/tulisan"
TOKEN = "formulir-baru-0123456789abcdef"


def body(response) -> str:
    return response.content.decode()


def texts(image, caption, alt_text) -> dict:
    return {f"photo-{image.pk}-caption": caption, f"photo-{image.pk}-alt_text": alt_text}


def summary_of(page: str) -> str:
    start = page.index('id="kesalahan"')
    return page[start : page.index("</div>", start)]


@pytest.fixture
def contributor(client, world):
    client.force_login(world.a_contributor)
    return client


# --- One save keeps everything on the page ------------------------------------------------------


@pytest.mark.parametrize("button", ["simpan", "kirim"])
def test_the_main_save_keeps_the_text_and_every_photos_caption_and_alt(
    contributor, world, button, django_capture_on_commit_callbacks
):
    post = make_post(world.kim_a, author=world.a_contributor, body="Isi")
    first, second = make_image(post, n=0), make_image(post, n=1, caption="Lama")
    data = {
        **post_fields(title="Judul baru"),
        **texts(first, "Warga menyapu jalan", "Lima warga menyapu jalan kampung"),
        **texts(second, "Balai RW", "Balai RW 3 dari depan"),
    }
    url = f"{BASE}/{post.pk}/" if button == "simpan" else f"{BASE}/{post.pk}/kirim/"
    with django_capture_on_commit_callbacks(execute=True):
        response = contributor.post(url, data, kelola=True)
    assert response.status_code == 302
    post.refresh_from_db()
    first.refresh_from_db()
    second.refresh_from_db()
    assert post.title == "Judul baru"
    assert (first.caption, first.alt_text) == (
        "Warga menyapu jalan",
        "Lima warga menyapu jalan kampung",
    )
    assert (second.caption, second.alt_text) == ("Balai RW", "Balai RW 3 dari depan")
    page = body(contributor.get(f"{BASE}/{post.pk}/", kelola=True))
    assert 'alt="Balai RW 3 dari depan"' in page
    # In the form while a draft; shown as text once sent (a contributor's post is then locked).
    shown = 'value="Warga menyapu jalan"' if button == "simpan" else "<p>Warga menyapu jalan</p>"
    assert shown in page


def test_the_caption_fields_are_inside_the_post_form_before_its_buttons(contributor, world):
    post = make_post(world.kim_a, author=world.a_contributor)
    image = make_image(post)
    page = body(contributor.get(f"{BASE}/{post.pk}/", kelola=True))
    form = page[page.index('id="post-form"') : page.index("</form>", page.index('id="post-form"'))]
    caption = form.index(f'name="photo-{image.pk}-caption"')
    assert caption < form.index(f'name="photo-{image.pk}-alt_text"') < form.index("Simpan</button>")
    # No second save button per photo: the delete button belongs to a form of its own.
    assert "Simpan foto" not in page
    assert f'form="hapus-foto-{image.pk}"' in form
    assert re.search(rf'<form id="hapus-foto-{image.pk}"[^>]+action="{BASE}/{post.pk}/foto/', page)


def test_another_posts_photo_named_in_the_form_is_never_written(contributor, world):
    post = make_post(world.kim_a, author=world.a_contributor)
    own = make_image(post)
    other_post = make_post(world.kim_a, author=world.a_editor, title="Punya editor")
    other_kim = make_post(world.kim_b, author=world.b_editor, title="KIM lain")
    foreign = [make_image(other_post, caption="Asli"), make_image(other_kim, caption="Asli")]
    data = {**post_fields(), **texts(own, "Milik sendiri", "")}
    for image in foreign:
        data.update(texts(image, "DIUBAH", "DIUBAH"))
    assert contributor.post(f"{BASE}/{post.pk}/", data, kelola=True).status_code == 302
    for image in foreign:
        image.refresh_from_db()
        assert (image.caption, image.alt_text) == ("Asli", "")
    own.refresh_from_db()
    assert own.caption == "Milik sendiri"


def test_the_service_ignores_an_id_that_is_not_the_posts_photo(world):
    post = make_post(world.kim_a, author=world.a_contributor)
    own = make_image(post)
    other = make_image(make_post(world.kim_b, title="Lain"), caption="Asli")
    changed = services.post_photos_describe(
        post=post,
        actor=world.a_contributor,
        texts={own.pk: ("Baru", "Alt baru"), other.pk: ("DIUBAH", "DIUBAH")},
    )
    assert changed == [own.pk]
    other.refresh_from_db()
    assert other.caption == "Asli"


def test_the_service_refuses_someone_who_may_not_edit_the_post(world):
    post = make_post(world.kim_a, author=world.a_editor)
    image = make_image(post)
    for outsider in (world.a_contributor, world.b_editor, world.outsider):
        with pytest.raises(PermissionError):
            services.post_photos_describe(
                post=post, actor=outsider, texts={image.pk: ("DIUBAH", "")}
            )
    image.refresh_from_db()
    assert image.caption == ""


def test_text_and_captions_are_saved_in_one_transaction(contributor, world, monkeypatch):
    post = make_post(world.kim_a, author=world.a_contributor, title="Asli")
    first, second = make_image(post, n=0), make_image(post, n=1)
    real_update = images.image_update
    written = []

    def failing_second(*, image, caption, alt_text):
        written.append(image.pk)
        if image.pk == second.pk:
            raise RuntimeError("database went away")
        return real_update(image=image, caption=caption, alt_text=alt_text)

    monkeypatch.setattr(images, "image_update", failing_second)
    data = {**post_fields(title="Baru"), **texts(first, "Satu", ""), **texts(second, "Dua", "")}
    contributor.raise_request_exception = False
    assert contributor.post(f"{BASE}/{post.pk}/", data, kelola=True).status_code == 500
    assert written == [first.pk, second.pk]  # the text and the first caption were written ...
    post.refresh_from_db()
    first.refresh_from_db()
    assert (post.title, first.caption) == ("Asli", "")  # ... and rolled back together


def test_a_caption_too_long_refuses_the_save_and_is_linked_from_the_summary(contributor, world):
    post = make_post(world.kim_a, author=world.a_contributor, title="Asli")
    image = make_image(post, caption="Lama")
    data = {**post_fields(title="Baru"), **texts(image, "x" * 201, "")}
    response = contributor.post(f"{BASE}/{post.pk}/", data, kelola=True)
    assert response.status_code == 200
    page = body(response)
    field_id = f"id_photo-{image.pk}-caption"
    assert (
        f'<a href="#{field_id}">Keterangan foto 1</a>: Keterangan maksimal 200 karakter.'
        in summary_of(page)
    )
    assert re.search(rf'<input[^>]*aria-invalid="true"[^>]*id="{field_id}"', page)
    assert re.search(rf'aria-describedby="{field_id}_error"[^>]*id="{field_id}"', page)
    assert f'<p class="error" id="{field_id}_error">' in page
    post.refresh_from_db()
    image.refresh_from_db()
    assert (post.title, image.caption) == ("Asli", "Lama")


def test_a_photo_missing_from_the_request_keeps_its_caption(contributor, world):
    post = make_post(world.kim_a, author=world.a_contributor)
    image = make_image(post, caption="Tetap", alt_text="Tetap juga")
    contributor.post(f"{BASE}/{post.pk}/", post_fields(title="Baru"), kelola=True)
    image.refresh_from_db()
    assert (image.caption, image.alt_text) == ("Tetap", "Tetap juga")


def test_autosave_keeps_the_captions_too(contributor, world):
    post = make_post(world.kim_a, author=world.a_contributor)
    image = make_image(post)
    data = {**post_fields(body="Separuh"), **texts(image, "Diketik", "Alt diketik")}
    response = contributor.post(f"{BASE}/{post.pk}/autosimpan/", data, kelola=True)
    assert response.status_code == 200 and response.json()["ok"] is True
    image.refresh_from_db()
    assert (image.caption, image.alt_text) == ("Diketik", "Alt diketik")
    data = {**post_fields(), **texts(image, "x" * 201, "")}
    response = contributor.post(f"{BASE}/{post.pk}/autosimpan/", data, kelola=True)
    assert response.status_code == 400
    assert response.json()["errors"][f"photo-{image.pk}-caption"]


def test_a_replacement_chosen_on_the_main_form_is_saved_with_it(
    contributor, world, django_capture_on_commit_callbacks
):
    post = make_post(world.kim_a, author=world.a_contributor)
    broken = make_image(post, status="failed", error="Rusak")
    data = {
        **post_fields(),
        **texts(broken, "Pengganti", ""),
        f"photo-{broken.pk}-replacement": jpeg_upload("baru.jpg"),
    }
    with django_capture_on_commit_callbacks(execute=True):
        assert contributor.post(f"{BASE}/{post.pk}/", data, kelola=True).status_code == 302
    broken.refresh_from_db()
    assert (broken.status, broken.error, broken.caption) == ("ready", "", "Pengganti")


def test_captions_typed_for_new_photos_are_stored_with_them(
    contributor, django_capture_on_commit_callbacks
):
    data = {
        **post_fields(),
        "photos": [jpeg_upload("a.jpg"), jpeg_upload("b.jpg")],
        "new-0-caption": "Kerja bakti",
        "new-1-caption": "Balai RW",
        "new-1-alt_text": "Balai RW " + "x" * 300,  # cut to the column's length
    }
    with django_capture_on_commit_callbacks(execute=True):
        contributor.post(f"{BASE}/baru/", data, kelola=True)
    a, b = Post.objects.get().images.order_by("sort_order")
    assert (a.caption, a.alt_text, b.caption) == ("Kerja bakti", "", "Balai RW")
    assert len(b.alt_text) == 200


# --- Captions are public text: the rules of moderation apply ------------------------------------


def test_an_edit_waiting_as_a_revision_cannot_change_captions(client, world):
    client.force_login(world.a_editor)  # KIM A is not trusted: edits on air wait for review
    post = make_post(world.kim_a, author=world.a_editor, status="published", body="Isi")
    image = make_image(post, caption="Disetujui")
    page = body(client.get(f"{BASE}/{post.pk}/", kelola=True))
    assert f'name="photo-{image.pk}-caption"' not in page and "Disetujui" in page
    data = {**post_fields(title="Judul usulan"), **texts(image, "Tanpa ditinjau", "")}
    assert client.post(f"{BASE}/{post.pk}/", data, kelola=True).status_code == 302
    image.refresh_from_db()
    assert image.caption == "Disetujui"
    assert PostRevision.objects.get().title == "Judul usulan"
    with pytest.raises(ValidationError):
        services.post_photos_describe(
            post=post, actor=world.a_editor, texts={image.pk: ("Tanpa ditinjau", "")}
        )


def test_a_direct_publishers_caption_on_air_is_recorded_and_checked_again(
    client, world, django_capture_on_commit_callbacks
):
    world.kim_a.is_trusted = True
    world.kim_a.save()
    BannedTerm.objects.create(term="judi online")
    client.force_login(world.a_editor)
    post = make_post(world.kim_a, author=world.a_editor, status="published", body="Isi")
    post.checks, post.checks_done = {"clean": True}, True
    post.save()
    image = make_image(post)
    data = {
        **post_fields(title=post.title, body="Isi yang diperbarui", summary="", tags=""),
        **texts(image, "Main judi online di sini", ""),
    }
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(f"{BASE}/{post.pk}/", data, kelola=True).status_code == 302
    image.refresh_from_db()
    assert image.caption == "Main judi online di sini"
    assert ModerationEvent.objects.filter(
        post=post, action="edited", details__photos="caption"
    ).exists()
    # Text and caption changed by one save: one check, not one per change.
    assert OutboxTask.objects.filter(task="posts.tasks.check_post_edit").count() == 1
    post.refresh_from_db()
    # The check found the term in the caption: the post went back to the moderation queue.
    assert post.checks["banned_terms"] == ["judi online"]
    assert post.status == "submitted"


@pytest.mark.parametrize("with_new_file", [False, True])
def test_a_caption_changed_on_the_single_photo_page_on_air_is_checked_again_too(
    client, world, django_capture_on_commit_callbacks, with_new_file
):
    """The page without JavaScript: its form writes the new caption into the photo it edits, so
    the service must compare with what is stored, not with that photo."""
    world.kim_a.is_trusted = True
    world.kim_a.save()
    BannedTerm.objects.create(term="judi online")
    client.force_login(world.a_editor)
    post = make_post(world.kim_a, author=world.a_editor, status="published", body="Isi")
    post.checks, post.checks_done = {"clean": True}, True
    post.save()
    image = make_image(post)
    prefix = f"foto{image.pk}"
    data = {f"{prefix}-caption": "Main judi online di sini", f"{prefix}-alt_text": ""}
    if with_new_file:
        data[f"{prefix}-replacement"] = jpeg_upload()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"{BASE}/{post.pk}/foto/{image.pk}/", data, kelola=True)
    assert response.status_code == 302
    image.refresh_from_db()
    assert image.caption == "Main judi online di sini"
    assert ModerationEvent.objects.filter(
        post=post, action="edited", details__photos="caption"
    ).exists()
    # Text and caption changed by one save: one check, not one per change.
    assert OutboxTask.objects.filter(task="posts.tasks.check_post_edit").count() == 1
    post.refresh_from_db()
    assert post.checks["banned_terms"] == ["judi online"]
    assert post.status == "submitted"


def test_the_automatic_checks_read_the_captions(world):
    BannedTerm.objects.create(term="judi online")
    post = make_post(world.kim_a, author=world.a_contributor, body="Isi bersih")
    make_image(post, alt_text="Spanduk judi online")
    services.post_submit(post=post, actor=world.a_contributor)
    checks = services.post_run_checks(post_id=post.pk, publish_if_clean=False)
    assert checks["banned_terms"] == ["judi online"] and checks["clean"] is False


# --- Files chosen with a refused save are kept ----------------------------------------------------


def test_a_refused_save_of_an_existing_post_attaches_the_photos_chosen(
    contributor, world, django_capture_on_commit_callbacks
):
    post = make_post(world.kim_a, author=world.a_contributor, title="Asli")
    kept = make_image(post, n=0, caption="Foto lama")
    data = {
        **post_fields(title="", body="Isi yang diketik"),
        "photos": [jpeg_upload("baru.jpg")],
        "new-0-caption": "Foto baru",
        **texts(kept, "Keterangan diketik", ""),
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = contributor.post(f"{BASE}/{post.pk}/", data, kelola=True)
    assert response.status_code == 200
    page = body(response)
    assert "Isi judul tulisan." in page and "Isi yang diketik" in page
    assert "pilih ulang" not in page.lower()
    post.refresh_from_db()
    assert post.title == "Asli"  # the text is not saved ...
    old, new = post.images.order_by("sort_order")
    assert (new.caption, new.status) == ("Foto baru", "ready")  # ... the photo is
    assert old.caption == "Foto lama"
    # The form shows the new photo, and what was typed for the old one.
    assert f'name="photo-{new.pk}-caption"' in page and 'value="Foto baru"' in page
    assert 'value="Keterangan diketik"' in page


def test_a_refused_save_and_send_attaches_the_photos_chosen(contributor, world):
    post = make_post(world.kim_a, author=world.a_contributor, body="Isi")
    data = {**post_fields(title=""), "photos": [jpeg_upload("baru.jpg")]}
    response = contributor.post(f"{BASE}/{post.pk}/kirim/", data, kelola=True)
    assert response.status_code == 200
    post.refresh_from_db()
    assert post.status == "draft" and post.images.count() == 1


def new_post(client, **extra):
    data = {**post_fields(**extra.pop("fields", {})), "upload_token": TOKEN, **extra}
    return client.post(f"{BASE}/baru/", data, kelola=True)


def test_a_refused_first_save_keeps_the_photos_for_the_same_form(
    contributor, world, django_capture_on_commit_callbacks
):
    response = new_post(
        contributor,
        fields={"title": "", "body": "Isi yang diketik"},
        photos=[jpeg_upload("pertama.jpg"), jpeg_upload("kedua.jpg")],
        **{"new-0-caption": "Kerja bakti", "new-1-alt_text": "Warga menyapu"},
    )
    assert response.status_code == 200
    assert not Post.objects.exists()
    kept = list(PendingPhoto.objects.order_by("pk"))
    assert [(p.name, p.owner, p.community, p.token) for p in kept] == [
        ("pertama.jpg", world.a_contributor, world.kim_a, TOKEN),
        ("kedua.jpg", world.a_contributor, world.kim_a, TOKEN),
    ]
    assert all(private_storage().exists(p.original.name) for p in kept)
    page = body(response)
    assert "Isi judul tulisan." in page and "Isi yang diketik" in page
    assert "2 foto sudah diunggah" in page and "pertama.jpg" in page and "kedua.jpg" in page
    assert f'name="upload_token" value="{TOKEN}"' in page
    assert 'value="Kerja bakti"' in page and 'value="Warga menyapu"' in page
    assert "Masih bisa" not in page  # (only on a saved post)

    # Fixed and saved: the post has both photos, through the photo pipeline, with the texts.
    with django_capture_on_commit_callbacks(execute=True):
        response = new_post(
            contributor,
            fields={"title": "Judul akhirnya"},
            **{f"pending-{kept[0].pk}-caption": "Kerja bakti RW 3"},
        )
    assert response.status_code == 302
    post = Post.objects.get()
    photos = list(post.images.order_by("sort_order"))
    assert [(i.caption, i.alt_text, i.status) for i in photos] == [
        ("Kerja bakti RW 3", "", "ready"),
        ("", "Warga menyapu", "ready"),
    ]
    assert not PendingPhoto.objects.exists()
    assert not any(private_storage().exists(p.original.name) for p in kept)


def test_a_kept_photo_can_be_left_out(contributor, django_capture_on_commit_callbacks):
    new_post(contributor, fields={"title": ""}, photos=[jpeg_upload("a.jpg"), jpeg_upload("b.jpg")])
    first, second = PendingPhoto.objects.order_by("pk")
    with django_capture_on_commit_callbacks(execute=True):
        new_post(contributor, **{f"pending-{first.pk}-drop": "on"})
    assert Post.objects.get().images.count() == 1
    assert not PendingPhoto.objects.exists()


def test_kept_photos_are_the_writers_own(client, world, django_capture_on_commit_callbacks):
    client.force_login(world.a_contributor)
    new_post(client, fields={"title": ""}, photos=[jpeg_upload("milik-kontributor.jpg")])
    client.force_login(world.a_editor)  # same KIM, same token: still not theirs
    page = body(new_post(client, fields={"title": ""}))
    assert "milik-kontributor.jpg" not in page
    with django_capture_on_commit_callbacks(execute=True):
        assert new_post(client, fields={"title": "Tulisan editor"}).status_code == 302
    assert Post.objects.get().images.count() == 0
    assert PendingPhoto.objects.get().owner == world.a_contributor


def test_a_token_that_is_not_one_starts_a_new_form(contributor):
    response = contributor.post(
        f"{BASE}/baru/",
        {**post_fields(title=""), "upload_token": "../x", "photos": [jpeg_upload()]},
        kelola=True,
    )
    token = PendingPhoto.objects.get().token
    assert re.fullmatch(r"[A-Za-z0-9_-]{32}", token)
    assert f'name="upload_token" value="{token}"' in body(response)
    page = body(contributor.get(f"{BASE}/baru/", kelola=True))
    fresh = re.search(r'name="upload_token" value="([^"]+)"', page).group(1)
    assert fresh != token


def test_an_oversize_photo_is_not_kept_and_is_named_in_the_summary(contributor, monkeypatch):
    small, big = jpeg_upload("kecil.jpg", size=(40, 30)), jpeg_upload("besar.jpg")
    monkeypatch.setattr(media, "MAX_BYTES", small.size + 10)
    page = body(new_post(contributor, fields={"title": ""}, photos=[small, big]))
    assert list(PendingPhoto.objects.values_list("name", flat=True)) == ["kecil.jpg"]
    assert (
        '<a href="#id_photos">Tambah foto</a>: Foto “besar.jpg” tidak diunggah: '
        "Foto lebih dari 15 MB." in summary_of(page)
    )


def test_no_more_than_ten_photos_are_kept_for_one_form(world):
    for _n in range(images.MAX_PHOTOS):
        services.pending_photo_keep(
            community=world.kim_a, owner=world.a_contributor, token=TOKEN, file=jpeg_upload()
        )
    with pytest.raises(ValidationError, match="paling banyak 10 foto"):
        services.pending_photo_keep(
            community=world.kim_a, owner=world.a_contributor, token=TOKEN, file=jpeg_upload()
        )


def keep(world, name="foto.jpg"):
    return services.pending_photo_keep(
        community=world.kim_a, owner=world.a_contributor, token=TOKEN, file=jpeg_upload(name)
    )


def test_a_kept_photo_is_attached_once_when_the_form_is_sent_twice(world, monkeypatch):
    keep(world)
    post = make_post(world.kim_a, author=world.a_contributor)
    real_take = images.pending_photo_take

    def taken_meanwhile(*, pending):  # the other request's delete committed first
        PendingPhoto.objects.filter(pk=pending.pk).delete()
        return real_take(pending=pending)

    monkeypatch.setattr(images, "pending_photo_take", taken_meanwhile)
    refused = services.post_pending_photos_attach(post=post, actor=world.a_contributor, token=TOKEN)
    assert refused == [] and post.images.count() == 0


def test_a_kept_photo_refused_when_attached_is_named_and_let_go(
    world, django_capture_on_commit_callbacks
):
    pending = keep(world, "kesebelas.jpg")
    post = make_post(world.kim_a, author=world.a_contributor)
    for n in range(images.MAX_PHOTOS):
        make_image(post, n=n)
    with django_capture_on_commit_callbacks(execute=True):
        refused = services.post_pending_photos_attach(
            post=post, actor=world.a_contributor, token=TOKEN
        )
    assert [(name, exc.code) for name, exc in refused] == [("kesebelas.jpg", "too_many")]
    assert post.images.count() == images.MAX_PHOTOS
    assert not PendingPhoto.objects.exists()
    assert not private_storage().exists(pending.original.name)


def test_only_a_writer_of_the_kim_can_keep_a_photo(world):
    for someone in (world.outsider, world.b_editor, world.surabaya_admin):
        with pytest.raises(PermissionError):
            services.pending_photo_keep(
                community=world.kim_a, owner=someone, token=TOKEN, file=jpeg_upload()
            )
    assert not PendingPhoto.objects.exists()


def test_a_kept_photo_goes_through_the_metadata_strip_when_attached(
    contributor, world, django_capture_on_commit_callbacks
):
    upload = SimpleUploadedFile("rumah.jpg", photo_with_everything(), content_type="image/jpeg")
    new_post(contributor, fields={"title": ""}, photos=[upload])
    with django_capture_on_commit_callbacks(execute=True):
        new_post(contributor)
    photo = Image.objects.get()
    assert photo.status == "ready"
    for sizes in photo.renditions.values():
        for fmt in ("webp", "jpeg"):
            with default_storage.open(sizes[fmt], "rb") as handle:
                assert_clean(handle.read(), fmt)


def test_the_sweep_deletes_photos_kept_for_posts_never_saved(
    world, django_capture_on_commit_callbacks
):
    old, fresh = (
        services.pending_photo_keep(
            community=world.kim_a, owner=world.a_contributor, token=TOKEN, file=jpeg_upload()
        )
        for _ in range(2)
    )
    PendingPhoto.objects.filter(pk=old.pk).update(
        created_at=timezone.now() - images.PENDING_PHOTO_TTL - timedelta(minutes=1)
    )
    with django_capture_on_commit_callbacks(execute=True):
        tasks.sweep_images()
    assert list(PendingPhoto.objects.values_list("pk", flat=True)) == [fresh.pk]
    assert not private_storage().exists(old.original.name)
    assert private_storage().exists(fresh.original.name)


# --- Every error names and links its field ------------------------------------------------------


def test_each_error_links_its_field_which_says_it_is_invalid(contributor, world):
    post = make_post(world.kim_a, author=world.a_contributor, kind="hoaks")
    data = post_fields(title="", kind="hoaks", claim="", verdict="", sources="", kirim="1")
    page = body(contributor.post(f"{BASE}/{post.pk}/kirim/", data, kelola=True))
    summary = summary_of(page)
    assert (
        'tabindex="-1"'
        in page[page.index('id="kesalahan"') - 80 : page.index('id="kesalahan"') + 40]
    )
    for name, label in (
        ("title", "Judul"),
        ("claim", "Klaim yang beredar"),
        ("verdict", "Putusan"),
        ("sources", "Sumber"),
    ):
        assert f'<a href="#id_{name}">{label}</a>: ' in summary, name
        tag = re.search(rf'<(?:input|textarea|select)[^>]*id="id_{name}"[^>]*>', page).group(0)
        assert 'aria-invalid="true"' in tag, name
        assert f"id_{name}_error" in tag, name
        assert f'id="id_{name}_error"' in page, name


# --- Valid HTML -----------------------------------------------------------------------------------


def test_the_editor_pages_with_photos_are_valid_html(client, world, tmp_path):
    from tests.test_html_valid import validate

    client.force_login(world.a_contributor)
    draft = make_post(world.kim_a, author=world.a_contributor)
    make_image(draft, n=0, caption="Satu")
    make_image(draft, n=1, status="failed", error="Rusak")
    sent = make_post(world.kim_a, author=world.a_contributor, title="Terkirim", slug="terkirim")
    make_image(sent, n=2)
    Post.objects.filter(pk=sent.pk).update(status="submitted", submitted_at=timezone.now())
    pages = {
        "draft with photos": body(client.get(f"{BASE}/{draft.pk}/", kelola=True)),
        "refused save with photos": body(
            client.post(
                f"{BASE}/{draft.pk}/",
                {**post_fields(title=""), **texts(draft.images.first(), "x" * 201, "")},
                kelola=True,
            )
        ),
        "refused first save, photos kept": body(
            new_post(client, fields={"title": ""}, photos=[jpeg_upload("a.jpg")])
        ),
        "sent, read-only": body(client.get(f"{BASE}/{sent.pk}/", kelola=True)),
    }
    client.force_login(world.a_editor)
    on_air = make_post(world.kim_a, author=world.a_editor, title="Tayang", status="published")
    make_image(on_air, n=3, caption="Disetujui")
    pages["on air, photos not editable"] = body(client.get(f"{BASE}/{on_air.pk}/", kelola=True))
    errors = validate(pages, tmp_path)
    assert errors == [], "\n".join(errors)
