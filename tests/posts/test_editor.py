"""Writing posts on kelola (posts:*): the list, the editor, photos, autosave, submitting."""

import json
import re
from datetime import timedelta

import pytest
from django.core.files.storage import default_storage
from django.utils import timezone

from posts import media, services
from posts.models import Image, ModerationEvent, Post
from tests.factories import jpeg_upload, make_post

pytestmark = pytest.mark.django_db

BASE = "/kim/kim-ketabang/tulisan"
# Session (when not cached), user, the KIM, the user's roles, the count and one page of posts
# with their authors, staff scopes (the nav).
LIST_QUERIES = 7
# Session (when not cached), user, the KIM, roles, the post with its author, its photos, its
# history with the actors, staff scopes (the nav).
EDIT_QUERIES = 8


def body(response) -> str:
    return response.content.decode()


def post_fields(**overrides) -> dict:
    data = {
        "kind": "kegiatan",
        "title": "Kerja bakti RW 3",
        "summary": "Warga membersihkan saluran air.",
        "body": "Minggu pagi warga **bergotong royong**.",
        "tags": "Kerja Bakti, lingkungan, kerja bakti",
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


def make_image(post, *, status="ready", n=0, **fields) -> Image:
    renditions = {
        str(width): {
            "webp": f"r/{post.community_id}/x{n}/{width}.webp",
            "jpeg": f"r/{post.community_id}/x{n}/{width}.jpg",
            "height": width * 3 // 4,
        }
        for width in (320, 640)
    }
    return Image.objects.create(
        community=post.community,
        post=post,
        original=f"originals/x{n}.jpg",
        status=status,
        width=640 if status == "ready" else None,
        height=480 if status == "ready" else None,
        placeholder="#1e783c" if status == "ready" else "",
        renditions=renditions if status == "ready" else {},
        sort_order=n,
        **fields,
    )


@pytest.fixture
def contributor(client, world):
    client.force_login(world.a_contributor)
    return client


@pytest.fixture
def editor(client, world):
    client.force_login(world.a_editor)
    return client


# --- List ------------------------------------------------------------------------------------


def test_list_shows_contributors_their_own_posts_and_editors_everything(client, world):
    make_post(world.kim_a, author=world.a_contributor, title="Draf kontributor")
    make_post(
        world.kim_a,
        author=world.a_editor,
        title="Tulisan editor",
        status="rejected",
        decision_reason="Foto buram sekali",
    )
    make_post(world.kim_b, author=world.b_editor, title="Tulisan KIM B")
    client.force_login(world.a_contributor)
    page = body(client.get(f"{BASE}/", kelola=True))
    assert "Draf kontributor" in page
    assert "Tulisan editor" not in page and "Tulisan KIM B" not in page
    client.force_login(world.a_editor)
    page = body(client.get(f"{BASE}/", kelola=True))
    assert "Draf kontributor" in page and "Tulisan editor" in page
    assert "Foto buram sekali" in page  # the rejection reason is visible
    assert 'status--rejected">Ditolak' in page
    assert "Tulisan KIM B" not in page


def test_list_filters_by_status_and_paginates(editor, world):
    for i in range(25):
        make_post(world.kim_a, author=world.a_editor, title=f"Draf {i}")
    make_post(world.kim_a, author=world.a_editor, title="Sudah tayang", status="published")
    page = body(editor.get(f"{BASE}/?status=published", kelola=True))
    assert "Sudah tayang" in page and "Draf 1" not in page
    page = body(editor.get(f"{BASE}/?status=draft", kelola=True))
    assert "25 tulisan" in page and "Halaman 1 dari 2" in page and "Sudah tayang" not in page
    assert "page=2" in page and "status=draft" in page


def test_list_query_count_is_constant(editor, world, django_assert_max_num_queries):
    for i in range(3):
        make_post(world.kim_a, author=world.a_contributor, title=f"Satu {i}")
    with django_assert_max_num_queries(LIST_QUERIES):
        assert editor.get(f"{BASE}/", kelola=True).status_code == 200
    for i in range(40):
        make_post(world.kim_a, author=world.a_contributor, title=f"Dua {i}")
    with django_assert_max_num_queries(LIST_QUERIES):
        assert editor.get(f"{BASE}/", kelola=True).status_code == 200


# --- Create and edit ---------------------------------------------------------------------------

KIND_CASES = {
    "kegiatan": ({}, {}),
    "berita": ({}, {}),
    "potensi": ({}, {}),
    "umkm": (
        {"price": "Rp 25.000", "order_whatsapp": "0812-3456-7890"},
        {"price": 25000, "order_whatsapp": "6281234567890"},
    ),
    "hoaks": (
        {
            "claim": "Air sumur beracun",
            "verdict": "hoaks",
            "sources": "https://dinkes.example.id/rilis\n\n https://kominfo.example.id/x ",
        },
        {
            "claim": "Air sumur beracun",
            "verdict": "hoaks",
            "sources": "https://dinkes.example.id/rilis\nhttps://kominfo.example.id/x",
        },
    ),
    "agenda": (
        {"event_date": "2026-08-17", "event_time": "07:30", "event_place": "Lapangan RW 3"},
        {"event_place": "Lapangan RW 3"},
    ),
}
ALL_KIND_INPUT = {
    "price": "10.000",
    "order_whatsapp": "081211112222",
    "claim": "Klaim lain",
    "verdict": "benar",
    "sources": "https://example.id/a",
    "event_date": "2026-01-02",
    "event_time": "10:00",
    "event_place": "Balai",
}


@pytest.mark.parametrize("kind", sorted(KIND_CASES))
def test_create_each_kind_keeps_its_own_fields(contributor, world, kind):
    given, expected = KIND_CASES[kind]
    # Without JavaScript every kind's fieldset is on the page; only the chosen kind's counts.
    data = post_fields(kind=kind, title=f"Tulisan {kind}", **{**ALL_KIND_INPUT, **given})
    response = contributor.post(f"{BASE}/baru/", data, kelola=True)
    post = Post.objects.get(title=f"Tulisan {kind}")
    assert response.status_code == 302
    assert response["Location"] == f"{BASE}/{post.pk}/"
    assert (post.community, post.author, post.kind, post.status) == (
        world.kim_a,
        world.a_contributor,
        kind,
        "draft",
    )
    assert post.tags == ["kerja bakti", "lingkungan"]
    for name, value in expected.items():
        assert getattr(post, name) == value, name
    if kind == "agenda":
        assert str(post.event_date) == "2026-08-17" and str(post.event_time) == "07:30:00"
    if kind != "umkm":
        assert post.price is None and post.order_whatsapp == ""
    if kind != "hoaks":
        assert post.claim == "" and post.verdict == "" and post.sources == ""
    if kind != "agenda":
        assert post.event_date is None and post.event_place == ""


def test_create_page_has_every_kind_fieldset_labelled_and_a_multiple_photo_input(contributor):
    page = body(contributor.get(f"{BASE}/baru/", kelola=True))
    assert 'enctype="multipart/form-data"' in page
    assert '<input type="file" name="photos"' in page and "multiple" in page
    assert 'accept="image/*"' in page
    for kind in ("umkm", "hoaks", "agenda"):
        assert f'data-kind="{kind}"' in page
    assert "Khusus UMKM" in page and "Khusus Klarifikasi hoaks" in page
    assert "Khusus Agenda" in page
    assert "editor.js" in page
    assert 'name="publish_at"' not in page  # contributors do not schedule


def test_bad_input_is_refused_and_kept(contributor):
    data = post_fields(
        title="",
        body="Teks panjang yang sudah diketik",
        kind="umkm",
        price="dua puluh",
        order_whatsapp="12",
    )
    response = contributor.post(f"{BASE}/baru/", data, kelola=True)
    assert response.status_code == 200
    page = body(response)
    assert "Isi judul tulisan." in page
    assert "Isi harga dengan angka" in page
    assert "Nomor WhatsApp tidak valid" in page
    assert "Teks panjang yang sudah diketik" in page
    assert Post.objects.count() == 0


def test_invalid_sources_line_is_named(contributor):
    # A line of plain text is a source (issue 11); an address must be http(s).
    data = post_fields(kind="hoaks", sources="Keterangan petugas\nftp://arsip.example.id/a")
    page = body(contributor.post(f"{BASE}/baru/", data, kelola=True))
    assert "“ftp://arsip.example.id/a” bukan tautan yang dapat dibuka" in page


def test_markdown_is_rendered_and_sanitised(contributor, client, world):
    text = (
        "## Judul kecil\n\nHalo <script>alert('x')</script> dunia.\n\n"
        "[Situs desa](https://desa.example.id) dan https://kominfo.example.id/berita"
    )
    contributor.post(f"{BASE}/baru/", post_fields(body=text), kelola=True)
    post = Post.objects.get()
    assert "<script" not in post.body_html
    assert "<h2>Judul kecil</h2>" in post.body_html
    assert 'href="https://desa.example.id"' in post.body_html
    assert post.body_html.count('rel="nofollow ugc noopener"') == 2
    # Shown as it will be published in the moderation preview.
    Post.objects.filter(pk=post.pk).update(status="submitted", submitted_at=timezone.now())
    client.force_login(world.surabaya_admin)
    page = body(client.get(f"/moderasi/{post.pk}/", kelola=True))
    assert "<script>alert" not in page
    assert 'rel="nofollow ugc noopener">Situs desa</a>' in page


def test_editor_can_schedule_and_save_keeps_a_published_post_published(editor, world):
    # A trusted KIM: its editor's edit applies at once (elsewhere it waits as a revision, see
    # tests/posts/test_revisions.py).
    world.kim_a.is_trusted = True
    world.kim_a.save()
    post = make_post(
        world.kim_a, author=world.a_contributor, title="Sudah tayang", status="published"
    )
    page = body(editor.get(f"{BASE}/{post.pk}/", kelola=True))
    assert "Simpan perubahan" in page and 'name="publish_at"' not in page
    response = editor.post(
        f"{BASE}/{post.pk}/", post_fields(title="Sudah tayang (diperbarui)"), kelola=True
    )
    assert response.status_code == 302
    post.refresh_from_db()
    assert post.status == "published" and post.title == "Sudah tayang (diperbarui)"
    assert post.slug == "sudah-tayang"  # a published address does not change
    draft = make_post(world.kim_a, author=world.a_editor, title="Draf editor")
    assert 'type="datetime-local" name="publish_at"' in body(
        editor.get(f"{BASE}/{draft.pk}/", kelola=True)
    )


def test_schedule_in_the_past_is_refused(editor, world):
    post = make_post(world.kim_a, author=world.a_editor)
    response = editor.post(
        f"{BASE}/{post.pk}/", post_fields(publish_at="2020-01-01T10:00"), kelola=True
    )
    assert response.status_code == 200
    assert "Jadwal tayang harus di masa mendatang." in body(response)


# --- Photos ----------------------------------------------------------------------------------


def test_three_photos_uploaded_with_the_text_become_ready(
    contributor, django_capture_on_commit_callbacks
):
    photos = [jpeg_upload(f"foto{i}.jpg", colour=(40 * i, 100, 60)) for i in range(3)]
    with django_capture_on_commit_callbacks(execute=True):
        response = contributor.post(
            f"{BASE}/baru/", {**post_fields(), "photos": photos}, kelola=True
        )
    post = Post.objects.get()
    assert response.status_code == 302
    images = list(post.images.order_by("sort_order"))
    assert [i.status for i in images] == ["ready"] * 3
    assert all(i.community_id == post.community_id for i in images)
    page = body(contributor.get(f"{BASE}/{post.pk}/", kelola=True))
    assert page.count("<picture>") == 3
    assert 'type="image/webp"' in page and "320w" in page
    assert 'loading="lazy"' in page and 'width="1200" height="900"' in page
    assert 'data-placeholder-colour="#' in page and "style=" not in page
    assert "Siap" in page and "Muat ulang status" not in page
    status = json.loads(contributor.get(f"{BASE}/{post.pk}/foto/status/", kelola=True).content)
    assert status["done"] is True
    assert [p["status"] for p in status["photos"]] == ["ready"] * 3
    for photo in status["photos"]:
        assert photo["thumbnail"].endswith("/320.jpg")
        path = photo["thumbnail"].removeprefix("/media/")
        assert default_storage.exists(path)


def test_pending_photos_show_progress_and_reload_link(contributor, world):
    post = make_post(world.kim_a, author=world.a_contributor)
    pending = make_image(post, status="pending", n=0)
    failed = make_image(post, status="failed", n=1, error="Foto rusak atau terpotong.")
    page = body(contributor.get(f"{BASE}/{post.pk}/", kelola=True))
    assert "Menunggu diproses" in page and "Gagal" in page and "Foto rusak atau terpotong." in page
    assert "Muat ulang status" in page and "data-busy" in page
    status = json.loads(contributor.get(f"{BASE}/{post.pk}/foto/status/", kelola=True).content)
    assert status == {
        "photos": [
            {
                "id": pending.pk,
                "status": "pending",
                "label": "Menunggu diproses",
                "error": "",
                "thumbnail": "",
                "alt": "",
            },
            {
                "id": failed.pk,
                "status": "failed",
                "label": "Gagal",
                "error": "Foto rusak atau terpotong.",
                "thumbnail": "",
                "alt": "",
            },
        ],
        "done": False,
    }


def test_oversize_photo_is_refused_by_name_and_the_text_is_saved(
    contributor, monkeypatch, django_capture_on_commit_callbacks
):
    small, big = jpeg_upload("kecil.jpg", size=(40, 30)), jpeg_upload("besar.jpg")
    monkeypatch.setattr(media, "MAX_BYTES", small.size + 10)
    data = {
        **post_fields(title="Judul yang diketik", body="Isi yang diketik"),
        "photos": [small, big],
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = contributor.post(f"{BASE}/baru/", data, kelola=True, follow=True)
    post = Post.objects.get()
    assert (post.title, post.body) == ("Judul yang diketik", "Isi yang diketik")
    assert post.images.count() == 1
    page = body(response)
    assert "Foto “besar.jpg” tidak diunggah: Foto lebih dari 15 MB." in page
    assert "kecil.jpg” tidak diunggah" not in page
    assert "Tulisan sudah disimpan" in page
    assert "Judul yang diketik" in page


def test_too_many_photos_are_refused_by_name_keeping_the_text(
    contributor, world, django_capture_on_commit_callbacks
):
    post = make_post(world.kim_a, author=world.a_contributor, title="Lama")
    for n in range(9):
        make_image(post, n=n)
    data = {
        **post_fields(title="Judul baru", body="Isi baru"),
        "photos": [jpeg_upload("kesepuluh.jpg"), jpeg_upload("kesebelas.jpg")],
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = contributor.post(f"{BASE}/{post.pk}/", data, kelola=True, follow=True)
    post.refresh_from_db()
    assert (post.title, post.body) == ("Judul baru", "Isi baru")
    assert post.images.count() == 10
    page = body(response)
    assert "Foto “kesebelas.jpg” tidak diunggah: Satu tulisan paling banyak 10 foto." in page
    assert "kesepuluh.jpg” tidak diunggah" not in page
    assert "Hapus salah satu untuk menambah" in page  # the upload field is gone at 10


def test_photo_caption_and_alt_are_edited_after_upload(contributor, world):
    post = make_post(world.kim_a, author=world.a_contributor)
    image = make_image(post)
    response = contributor.post(
        f"{BASE}/{post.pk}/foto/{image.pk}/",
        {f"foto{image.pk}-caption": "Warga di RW 3", f"foto{image.pk}-alt_text": "Warga menyapu"},
        kelola=True,
    )
    assert response.status_code == 302
    assert response["Location"] == f"{BASE}/{post.pk}/#foto-{image.pk}"
    image.refresh_from_db()
    assert (image.caption, image.alt_text, image.status) == (
        "Warga di RW 3",
        "Warga menyapu",
        "ready",
    )
    page = body(contributor.get(f"{BASE}/{post.pk}/", kelola=True))
    assert 'alt="Warga menyapu"' in page and 'value="Warga di RW 3"' in page


def test_replacing_a_failed_photo_leaves_the_others(
    contributor, world, django_capture_on_commit_callbacks
):
    post = make_post(world.kim_a, author=world.a_contributor)
    with django_capture_on_commit_callbacks(execute=True):
        contributor.post(
            f"{BASE}/{post.pk}/",
            {**post_fields(), "photos": [jpeg_upload(f"f{i}.jpg") for i in range(3)]},
            kelola=True,
        )
    first, broken, third = post.images.order_by("sort_order")
    Image.objects.filter(pk=broken.pk).update(
        status="failed", error="Foto rusak atau terpotong.", renditions={}
    )
    before = {i.pk: (i.status, i.renditions, i.original.name) for i in (first, third)}
    with django_capture_on_commit_callbacks(execute=True):
        response = contributor.post(
            f"{BASE}/{post.pk}/foto/{broken.pk}/",
            {
                f"foto{broken.pk}-caption": "Pengganti",
                f"foto{broken.pk}-replacement": jpeg_upload(),
            },
            kelola=True,
        )
    assert response.status_code == 302
    broken.refresh_from_db()
    assert (broken.status, broken.error, broken.caption) == ("ready", "", "Pengganti")
    for image in (first, third):
        image.refresh_from_db()
        assert (image.status, image.renditions, image.original.name) == before[image.pk]


def test_oversize_replacement_is_refused_and_the_caption_typed_is_kept(
    contributor, world, monkeypatch
):
    post = make_post(world.kim_a, author=world.a_contributor)
    image = make_image(post, status="failed", error="Rusak")
    monkeypatch.setattr(media, "MAX_BYTES", 10)
    response = contributor.post(
        f"{BASE}/{post.pk}/foto/{image.pk}/",
        {
            f"foto{image.pk}-caption": "Keterangan baru",
            f"foto{image.pk}-replacement": jpeg_upload(),
        },
        kelola=True,
    )
    assert response.status_code == 200
    page = body(response)
    assert "Foto lebih dari 15 MB" in page and 'value="Keterangan baru"' in page
    image.refresh_from_db()
    assert (image.status, image.caption) == ("failed", "")


def test_photo_delete_removes_only_that_photo(contributor, world):
    post = make_post(world.kim_a, author=world.a_contributor)
    keep, gone = make_image(post, n=0), make_image(post, n=1)
    response = contributor.post(f"{BASE}/{post.pk}/foto/{gone.pk}/hapus/", kelola=True)
    assert response.status_code == 302
    assert list(post.images.values_list("pk", flat=True)) == [keep.pk]
    assert (
        contributor.get(f"{BASE}/{post.pk}/foto/{gone.pk}/hapus/", kelola=True).status_code == 405
    )


def test_edit_page_query_count_with_ten_photos(editor, world, django_assert_max_num_queries):
    post = make_post(world.kim_a, author=world.a_contributor)
    make_image(post, n=0)
    services.post_submit(post=post, actor=world.a_editor)
    with django_assert_max_num_queries(EDIT_QUERIES):
        assert editor.get(f"{BASE}/{post.pk}/", kelola=True).status_code == 200
    for n in range(1, 10):
        make_image(post, n=n)
    with django_assert_max_num_queries(EDIT_QUERIES):
        page = body(editor.get(f"{BASE}/{post.pk}/", kelola=True))
    assert page.count("<picture>") == 10


# --- Autosave --------------------------------------------------------------------------------


def test_autosave_saves_and_answers_the_time(contributor, world):
    post = make_post(world.kim_a, author=world.a_contributor)
    page = body(contributor.get(f"{BASE}/{post.pk}/", kelola=True))
    assert f'data-autosave-url="{BASE}/{post.pk}/autosimpan/"' in page
    response = contributor.post(
        f"{BASE}/{post.pk}/autosimpan/", post_fields(body="Separuh jalan"), kelola=True
    )
    assert response.status_code == 200
    answer = response.json()
    post.refresh_from_db()
    assert answer["ok"] is True and post.body == "Separuh jalan"
    assert answer["message"] == f"Tersimpan otomatis {answer['saved_at']}"
    # The interface language's time format ("05.27" in Bahasa Indonesia), as on every page.
    assert answer["saved_at"] == timezone.localtime(post.updated_at).strftime("%H.%M")


def test_autosave_refuses_invalid_input_without_saving(contributor, world):
    post = make_post(world.kim_a, author=world.a_contributor, title="Asli")
    response = contributor.post(f"{BASE}/{post.pk}/autosimpan/", post_fields(title=""), kelola=True)
    assert response.status_code == 400
    assert response.json()["errors"]["title"] == ["Isi judul tulisan."]
    post.refresh_from_db()
    assert post.title == "Asli"


def test_autosave_is_off_for_a_published_post(editor, world):
    post = make_post(world.kim_a, author=world.a_editor, title="Tayang", status="published")
    assert "data-autosave-url" not in body(editor.get(f"{BASE}/{post.pk}/", kelola=True))
    response = editor.post(f"{BASE}/{post.pk}/autosimpan/", post_fields(title="X"), kelola=True)
    assert response.status_code == 409
    post.refresh_from_db()
    assert post.title == "Tayang"


def test_new_post_has_no_autosave_until_first_save(contributor):
    assert "data-autosave-url" not in body(contributor.get(f"{BASE}/baru/", kelola=True))


# --- Submitting --------------------------------------------------------------------------------


def test_contributor_submits_and_then_cannot_edit(
    contributor, world, django_capture_on_commit_callbacks
):
    post = make_post(world.kim_a, author=world.a_contributor, body="Isi tulisan")
    with django_capture_on_commit_callbacks(execute=True):
        response = contributor.post(f"{BASE}/{post.pk}/kirim/", kelola=True)
    assert response.status_code == 302
    post.refresh_from_db()
    assert post.status == "submitted" and post.checks_done
    page = body(contributor.get(f"{BASE}/{post.pk}/", kelola=True))
    assert "Menunggu moderasi" in page and 'id="post-form"' not in page
    assert "Lolos pemeriksaan otomatis" in page  # the checks' result once done
    assert "Diajukan" in page and "Diperiksa otomatis" in page  # the history
    assert "Isi tulisan" in page  # shown read-only
    for url, data in (
        (f"{BASE}/{post.pk}/", post_fields(title="Diubah")),
        (f"{BASE}/{post.pk}/autosimpan/", post_fields(title="Diubah")),
        (f"{BASE}/{post.pk}/kirim/", {}),
    ):
        assert contributor.post(url, data, kelola=True).status_code == 404
    post.refresh_from_db()
    assert post.title == "Kerja bakti"
    assert post.events.filter(action="submitted").count() == 1


def test_save_and_submit_button_saves_first(contributor, world, django_capture_on_commit_callbacks):
    post = make_post(world.kim_a, author=world.a_contributor)
    page = body(contributor.get(f"{BASE}/{post.pk}/", kelola=True))
    assert f'formaction="{BASE}/{post.pk}/kirim/"' in page
    with django_capture_on_commit_callbacks(execute=True):
        contributor.post(
            f"{BASE}/{post.pk}/kirim/",
            post_fields(title="Judul akhir", body="Isi akhir"),
            kelola=True,
        )
    post.refresh_from_db()
    assert (post.title, post.status) == ("Judul akhir", "submitted")


def test_submit_without_text_or_photo_shows_the_service_message(contributor, world):
    post = make_post(world.kim_a, author=world.a_contributor)
    response = contributor.post(f"{BASE}/{post.pk}/kirim/", kelola=True, follow=True)
    assert "Isi judul dan isi tulisan (atau sedikitnya satu foto)." in body(response)
    post.refresh_from_db()
    assert post.status == "draft"


def test_submit_with_a_failed_photo_is_refused(contributor, world):
    post = make_post(world.kim_a, author=world.a_contributor, body="Isi")
    make_image(post, status="failed", error="Rusak")
    response = contributor.post(f"{BASE}/{post.pk}/kirim/", kelola=True, follow=True)
    assert "Ada foto yang gagal diproses" in body(response)
    post.refresh_from_db()
    assert post.status == "draft"


def test_editor_of_a_trusted_kim_publishes_directly(
    editor, world, django_capture_on_commit_callbacks
):
    world.kim_a.is_trusted = True
    world.kim_a.save()
    with django_capture_on_commit_callbacks(execute=True):
        editor.post(f"{BASE}/baru/", post_fields(title="Langsung tayang"), kelola=True)
    post = Post.objects.get()
    assert "Simpan & terbitkan" in body(editor.get(f"{BASE}/{post.pk}/", kelola=True))
    with django_capture_on_commit_callbacks(execute=True):
        editor.post(f"{BASE}/{post.pk}/kirim/", kelola=True)
    post.refresh_from_db()
    assert post.status == "published" and post.published_at is not None
    assert list(post.events.values_list("action", flat=True)) == [
        "submitted",
        "checked",
        "published",
    ]
    page = body(editor.get(f"{BASE}/{post.pk}/", kelola=True))
    assert 'status--published">Tayang' in page
    assert re.search(rf'href="http://kim-ketabang\.localhost(:\d+)?/kabar/{post.slug}/"', page)


def test_editor_of_an_untrusted_kim_goes_through_moderation(
    editor, world, django_capture_on_commit_callbacks
):
    post = make_post(world.kim_a, author=world.a_editor, body="Isi")
    with django_capture_on_commit_callbacks(execute=True):
        editor.post(f"{BASE}/{post.pk}/kirim/", kelola=True)
    post.refresh_from_db()
    assert post.status == "submitted"


def test_editor_schedules_a_post(editor, world, django_capture_on_commit_callbacks):
    world.kim_a.is_trusted = True
    world.kim_a.save()
    post = make_post(world.kim_a, author=world.a_editor)
    when = timezone.localtime() + timedelta(days=2)
    with django_capture_on_commit_callbacks(execute=True):
        editor.post(
            f"{BASE}/{post.pk}/kirim/",
            post_fields(body="Isi", publish_at=when.strftime("%Y-%m-%dT%H:%M")),
            kelola=True,
        )
    post.refresh_from_db()
    assert post.status == "scheduled"
    assert post.publish_at == when.replace(second=0, microsecond=0)
    page = body(editor.get(f"{BASE}/{post.pk}/", kelola=True))
    assert "Terjadwal" in page and when.strftime("%H:%M") in page


def test_rejected_post_shows_reason_and_can_be_fixed_and_resubmitted(
    contributor, world, django_capture_on_commit_callbacks
):
    post = make_post(world.kim_a, author=world.a_contributor, body="Isi")
    services.post_submit(post=post, actor=world.a_contributor)
    services.post_reject(post=post, actor=world.surabaya_admin, reason="Sebutkan tanggal acara.")
    page = body(contributor.get(f"{BASE}/{post.pk}/", kelola=True))
    assert "Sebutkan tanggal acara." in page and 'id="post-form"' in page
    assert "Simpan & kirim ulang" in page
    assert "Ditolak" in page and "Diskominfo-Surabaya" in page  # history: who
    with django_capture_on_commit_callbacks(execute=True):
        response = contributor.post(
            f"{BASE}/{post.pk}/kirim/", post_fields(body="Isi, 17 Agustus"), kelola=True
        )
    assert response.status_code == 302
    post.refresh_from_db()
    assert (post.status, post.body, post.decision_reason) == ("submitted", "Isi, 17 Agustus", "")
    assert list(post.events.values_list("action", flat=True)) == [
        "submitted",
        "rejected",
        "submitted",
        "checked",
    ]
    assert ModerationEvent.objects.get(action="rejected").reason == "Sebutkan tanggal acara."


def test_suspended_kim_lists_posts_but_allows_no_writing(client, world):
    post = make_post(world.kim_a, author=world.a_contributor)
    world.kim_a.status = "suspended"
    world.kim_a.save()
    client.force_login(world.a_contributor)
    page = body(client.get(f"{BASE}/", kelola=True))
    assert "Kerja bakti" in page and "Tulis baru" not in page
    assert client.get(f"{BASE}/baru/", kelola=True).status_code == 404
    assert 'id="post-form"' not in body(client.get(f"{BASE}/{post.pk}/", kelola=True))
    assert client.post(f"{BASE}/{post.pk}/", post_fields(), kelola=True).status_code == 404


def test_save_and_submit_with_bad_input_keeps_it_and_sends_nothing(contributor, world):
    post = make_post(world.kim_a, author=world.a_contributor, body="Isi")
    response = contributor.post(
        f"{BASE}/{post.pk}/kirim/", post_fields(title="", body="Isi yang baru diketik"), kelola=True
    )
    assert response.status_code == 200
    page = body(response)
    assert "Isi judul tulisan." in page and "Isi yang baru diketik" in page
    post.refresh_from_db()
    assert (post.status, post.body) == ("draft", "Isi")


def test_overview_links_to_the_posts(contributor):
    page = body(contributor.get("/kim/kim-ketabang/", kelola=True))
    assert f'href="{BASE}/"' in page
