"""Hoax clarifications (issue 11): a `hoaks` post needs a claim, a verdict and at least one
source before it is sent, approved or changed on air; a source is text with an optional link;
the moderation queue shows the clarification first. And the UMKM category in the editor."""

import re
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from posts import services
from posts.models import ModerationEvent, Post, PostRevision
from posts.services import PostData
from posts.sources import bad_addresses, parse_sources
from tests.factories import make_post

pytestmark = pytest.mark.django_db

BASE = "/kim/kim-ketabang/tulisan"
HOST = "kim-ketabang.localhost"
COMPLETE = {
    "claim": "Air PDAM padam tiga hari se-Surabaya.",
    "verdict": "hoaks",
    "sources": "Keterangan petugas PLN Rayon Genteng\nhttps://pdam-sby.example.id/siaran",
}
MISSING = {
    "claim": "Isi klaim yang beredar: kabar apa yang diklarifikasi.",
    "verdict": "Pilih putusan: hoaks, disinformasi, benar, atau belum terbukti.",
    "sources": (
        "Tulis sedikitnya satu sumber, misalnya keterangan petugas atau tautan berita resmi."
    ),
}


def body(response) -> str:
    return response.content.decode()


def fields(**overrides) -> dict:
    data = {
        "kind": "hoaks",
        "title": "Pesan berantai pemadaman air",
        "summary": "",
        "body": "Tidak ada jadwal pemadaman.",
        "tags": "",
        "umkm_category": "",
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


def hoax_post(community, *, status="draft", **overrides) -> Post:
    values = {**COMPLETE, "title": "Pesan berantai pemadaman air", **overrides}
    published = status in ("published", "scheduled")
    return make_post(
        community,
        kind="hoaks",
        body="Tidak ada jadwal pemadaman.",
        status=status,
        published_at=timezone.now() - timedelta(hours=1) if published else None,
        **values,
    )


def error_dict(exc: ValidationError) -> dict[str, list[str]]:
    return {
        name: [str(m) for e in errors for m in e.messages]
        for name, errors in exc.error_dict.items()
    }


@pytest.fixture
def contributor(client, world):
    client.force_login(world.a_contributor)
    return client


# --- The service refuses incomplete clarifications ------------------------------------------------


@pytest.mark.parametrize(
    "missing", [("claim",), ("verdict",), ("sources",), ("claim", "verdict", "sources")]
)
def test_submit_refuses_a_clarification_without_its_claim_verdict_or_sources(world, missing):
    post = hoax_post(world.kim_a, author=world.a_contributor, **dict.fromkeys(missing, ""))
    with pytest.raises(ValidationError) as refused:
        services.post_submit(post=post, actor=world.a_contributor)
    assert error_dict(refused.value) == {name: [MISSING[name]] for name in missing}
    post.refresh_from_db()
    assert post.status == "draft" and not post.events.exists()


def test_sources_of_blank_lines_or_an_unknown_verdict_count_as_missing(world):
    post = hoax_post(world.kim_a, author=world.a_contributor, sources=" \n\n ", verdict="palsu")
    with pytest.raises(ValidationError) as refused:
        services.post_submit(post=post, actor=world.a_contributor)
    assert set(refused.value.error_dict) == {"verdict", "sources"}


def test_a_complete_clarification_and_other_kinds_are_submitted(world):
    post = hoax_post(world.kim_a, author=world.a_contributor)
    assert services.post_submit(post=post, actor=world.a_contributor).status == "submitted"
    other = make_post(world.kim_a, title="Kerja bakti", body="Isi.", author=world.a_contributor)
    assert services.post_submit(post=other, actor=world.a_contributor).status == "submitted"


def test_approving_an_incomplete_clarification_is_refused(world):
    """Sent before the rule (or written behind the editor's back): the moderator cannot pass it."""
    post = hoax_post(world.kim_a, status="submitted", verdict="", checks={"clean": True})
    post.checks_done = True
    with pytest.raises(ValidationError):
        services.post_approve(post=post, actor=world.surabaya_admin)
    post.refresh_from_db()
    assert post.status == "submitted"
    complete = hoax_post(world.kim_a, status="submitted", title="Lengkap", slug="lengkap")
    assert services.post_approve(post=complete, actor=world.surabaya_admin).status == "published"


def test_automatic_checks_flag_an_incomplete_clarification_and_never_publish_it(world):
    world.kim_a.is_trusted = True
    world.kim_a.save()
    post = hoax_post(world.kim_a, status="submitted", claim="")
    checks = services.post_run_checks(post_id=post.pk, publish_if_clean=True)
    assert checks["hoax_incomplete"] and not checks["clean"]
    post.refresh_from_db()
    assert post.status == "submitted"
    complete = hoax_post(world.kim_a, status="submitted", title="Lengkap", slug="lengkap")
    checks = services.post_run_checks(post_id=complete.pk, publish_if_clean=True)
    assert checks["hoax_incomplete"] is False and checks["clean"]


def _data(post: Post, **changes) -> PostData:
    values = {name: getattr(post, name) for name in PostRevision.TEXT_FIELDS}
    return PostData(**{**values, **changes})


def test_a_revision_of_a_clarification_on_air_must_stay_complete(world):
    post = hoax_post(world.kim_a, status="published")
    with pytest.raises(ValidationError) as refused:
        services.revision_submit(post=post, actor=world.a_editor, data=_data(post, sources=""))
    assert set(refused.value.error_dict) == {"sources"}
    assert not PostRevision.objects.exists()
    revision = services.revision_submit(
        post=post, actor=world.a_editor, data=_data(post, claim="Klaim yang diperjelas.")
    )
    assert revision is not None and revision.claim == "Klaim yang diperjelas."


def test_approving_an_incomplete_revision_is_refused(world):
    post = hoax_post(world.kim_a, status="published")
    values = {name: getattr(post, name) for name in PostRevision.TEXT_FIELDS}
    revision = PostRevision.objects.create(
        community=world.kim_a, post=post, author=world.a_editor, **{**values, "verdict": ""}
    )
    with pytest.raises(ValidationError):
        services.revision_approve(revision=revision, actor=world.surabaya_admin)
    revision.refresh_from_db()
    post.refresh_from_db()
    assert revision.status == "pending" and post.verdict == "hoaks"


def test_a_direct_publishers_edit_on_air_must_stay_complete(world):
    world.kim_a.is_trusted = True
    world.kim_a.save()
    post = hoax_post(world.kim_a, status="published")
    with pytest.raises(ValidationError):
        services.post_update(post=post, actor=world.a_editor, data=_data(post, claim=" "))
    post.refresh_from_db()
    assert post.claim == COMPLETE["claim"]
    assert not post.events.filter(action=ModerationEvent.Action.EDITED).exists()


# --- The editor: a draft may be incomplete, sending names each missing field -------------------


def test_an_incomplete_clarification_is_saved_as_a_draft(contributor, world):
    response = contributor.post(f"{BASE}/baru/", fields(claim="Baru separuh"), kelola=True)
    assert response.status_code == 302
    post = Post.objects.get()
    assert (post.kind, post.status, post.claim, post.verdict) == (
        "hoaks",
        "draft",
        "Baru separuh",
        "",
    )


def test_sending_an_incomplete_clarification_names_and_links_each_missing_field(contributor, world):
    post = hoax_post(world.kim_a, author=world.a_contributor, claim="", verdict="", sources="")
    data = fields(claim="Klaim yang sudah diketik", kirim="1")
    response = contributor.post(f"{BASE}/{post.pk}/kirim/", data, kelola=True)
    page = body(response)
    assert response.status_code == 200
    # The summary at the top links each error to its field, named as on the form.
    summary = page[
        page.index('id="kesalahan"') : page.index("</div>", page.index('id="kesalahan"'))
    ]
    assert f'<a href="#id_verdict">Putusan</a>: {MISSING["verdict"]}' in summary
    assert f'<a href="#id_sources">Sumber</a>: {MISSING["sources"]}' in summary
    assert "id_claim" not in summary
    # Each field says it too, and what was typed is kept.
    assert f'<p class="error" id="id_verdict_error">{MISSING["verdict"]}</p>' in page
    assert "Klaim yang sudah diketik</textarea>" in page
    post.refresh_from_db()
    assert post.status == "draft"


def test_sending_a_complete_clarification_from_the_editor(contributor, world):
    post = hoax_post(world.kim_a, author=world.a_contributor, claim="", verdict="", sources="")
    data = fields(kirim="1", **COMPLETE)
    response = contributor.post(f"{BASE}/{post.pk}/kirim/", data, kelola=True)
    assert response.status_code == 302
    post.refresh_from_db()
    assert post.status == "submitted" and post.sources == COMPLETE["sources"]


def test_the_submit_button_marks_the_form_as_sent(contributor, world):
    post = hoax_post(world.kim_a, author=world.a_contributor)
    page = body(contributor.get(f"{BASE}/{post.pk}/", kelola=True))
    assert re.search(
        r'<button type="submit"[^>]* name="kirim" value="1" formaction="[^"]+/kirim/"', page
    )
    assert "wajib diisi sebelum tulisan dikirim" in page


def test_without_the_form_the_service_still_refuses(contributor, world):
    post = hoax_post(world.kim_a, author=world.a_contributor, verdict="")
    response = contributor.post(f"{BASE}/{post.pk}/kirim/", kelola=True, follow=True)
    assert MISSING["verdict"] in body(response)
    post.refresh_from_db()
    assert post.status == "draft"


def test_an_edit_on_air_that_empties_the_sources_is_refused_on_the_form(client, world):
    client.force_login(world.a_editor)
    post = hoax_post(world.kim_a, status="published")
    data = fields(**{**COMPLETE, "sources": ""})
    response = client.post(f"{BASE}/{post.pk}/", data, kelola=True)
    assert response.status_code == 200
    assert MISSING["sources"] in body(response)
    assert not PostRevision.objects.exists()


# --- Sources: text with optional links --------------------------------------------------------


def test_a_source_is_text_with_an_optional_link(contributor, world):
    sources = (
        "Keterangan petugas PLN Rayon Genteng, 3 Maret\n"
        "Siaran pers PDAM (https://pdam-sby.example.id/siaran).\n"
        "https://kominfo.example.id/x"
    )
    response = contributor.post(
        f"{BASE}/baru/", fields(**{**COMPLETE, "sources": sources}), kelola=True
    )
    assert response.status_code == 302
    assert Post.objects.get().sources == sources


@pytest.mark.parametrize(
    "line",
    [
        "Lihat ftp://arsip.example.id/berkas",
        "javascript://%0aalert(1)",
        "Tautan https://bukan alamat",
    ],
)
def test_an_address_that_is_not_http_is_refused_by_name(contributor, line):
    response = contributor.post(
        f"{BASE}/baru/", fields(**{**COMPLETE, "sources": line}), kelola=True
    )
    page = body(response)
    assert response.status_code == 200
    assert "Tautan sumber harus lengkap dan diawali http:// atau https://." in page
    assert not Post.objects.exists()


def test_sources_parse_into_text_and_links():
    (official, release, bare, stray) = parse_sources(
        "Keterangan petugas PLN\n"
        "Siaran pers (https://pdam.example.id/a_(b)), 3 Maret.\n"
        "  https://kominfo.example.id/x.  \n"
        "Arsip javascript://x dan ftp://y"
    )
    assert [(p.text, p.url) for p in official.parts] == [("Keterangan petugas PLN", "")]
    assert [(p.text, p.url) for p in release.parts] == [
        ("Siaran pers (", ""),
        ("https://pdam.example.id/a_(b)", "https://pdam.example.id/a_(b)"),
        ("), 3 Maret.", ""),
    ]
    assert bare.urls == ["https://kominfo.example.id/x"] and bare.text.endswith("/x.")
    assert stray.urls == [] and stray.text == "Arsip javascript://x dan ftp://y"
    assert bad_addresses("Arsip javascript://x dan ftp://y") == ["javascript://x", "ftp://y"]


def test_the_post_page_links_only_the_address_of_a_source(client, world):
    hoax_post(
        world.kim_a,
        status="published",
        sources="Siaran pers PDAM https://pdam-sby.example.id/siaran\nArsip ftp://x.example.id/a",
    )
    page = body(client.get("/kabar/pesan-berantai-pemadaman-air/", host=HOST))
    assert (
        '<li>Siaran pers PDAM <a href="https://pdam-sby.example.id/siaran" '
        'rel="nofollow ugc noopener">https://pdam-sby.example.id/siaran</a></li>'
    ) in page
    assert "<li>Arsip ftp://x.example.id/a</li>" in page
    assert 'href="ftp:' not in page


# --- The moderation queue shows the clarification first ---------------------------------------


def test_queue_and_detail_show_claim_verdict_and_sources_first(client, world):
    post = hoax_post(
        world.kim_a, status="submitted", submitted_at=timezone.now(), checks={"clean": True}
    )
    incomplete = hoax_post(
        world.kim_a, status="submitted", title="Tanpa sumber", slug="tanpa-sumber", sources=""
    )
    client.force_login(world.surabaya_admin)
    queue = body(client.get("/moderasi/", kelola=True))
    item = queue[queue.index("Pesan berantai pemadaman air") :]
    assert item.index("Air PDAM padam tiga hari") < item.index("Menunggu")
    assert "<strong>Hoaks</strong>" in item
    assert (
        '<a href="https://pdam-sby.example.id/siaran" rel="nofollow ugc noopener noreferrer">'
        in item
    )
    assert "Belum ada sumber" in queue[queue.index("Tanpa sumber") :]
    detail = body(client.get(f"/moderasi/{post.pk}/", kelola=True))
    assert detail.index('id="klarifikasi"') < detail.index('id="pemeriksaan"')
    assert detail.index('id="klarifikasi"') < detail.index('id="pratinjau"')
    assert "Keterangan petugas PLN Rayon Genteng" in detail
    response = client.post(f"/moderasi/{incomplete.pk}/setujui/", kelola=True)
    assert response.status_code in (200, 302)
    incomplete.refresh_from_db()
    assert incomplete.status == "submitted"


def test_checks_list_names_an_incomplete_clarification(client, world):
    post = hoax_post(world.kim_a, status="submitted", verdict="")
    services.post_run_checks(post_id=post.pk, publish_if_clean=False)
    client.force_login(world.surabaya_admin)
    detail = body(client.get(f"/moderasi/{post.pk}/", kelola=True))
    assert "Klarifikasi hoaks belum lengkap (klaim, putusan, atau sumber)" in detail


# --- The UMKM category in the editor ------------------------------------------------------------


def test_umkm_category_is_written_in_the_editor_and_dropped_for_other_kinds(contributor, world):
    data = fields(kind="umkm", title="Sambal", umkm_category="kuliner", price="25.000")
    assert contributor.post(f"{BASE}/baru/", data, kelola=True).status_code == 302
    data = fields(kind="berita", title="Berita", umkm_category="kuliner")
    assert contributor.post(f"{BASE}/baru/", data, kelola=True).status_code == 302
    assert dict(Post.objects.values_list("title", "umkm_category")) == {
        "Sambal": "kuliner",
        "Berita": "",
    }
    post = Post.objects.get(title="Sambal")
    page = body(contributor.get(f"{BASE}/{post.pk}/", kelola=True))
    assert '<option value="kuliner" selected>Kuliner</option>' in page
    response = contributor.post(
        f"{BASE}/{post.pk}/",
        fields(kind="umkm", title="Sambal", umkm_category="mainan"),
        kelola=True,
    )
    assert "Pilih kategori dari daftar." in body(response)


def test_a_revision_carries_the_umkm_category(world):
    post = make_post(
        world.kim_a, title="Sambal", kind="umkm", status="published", umkm_category="kuliner"
    )
    data = _data(post, umkm_category="pertanian")
    revision = services.revision_submit(post=post, actor=world.a_editor, data=data)
    assert revision.umkm_category == "pertanian"
    services.revision_approve(revision=revision, actor=world.surabaya_admin)
    post.refresh_from_db()
    assert post.umkm_category == "pertanian"


# --- Valid HTML -----------------------------------------------------------------------------------


def test_the_new_and_changed_pages_are_valid_html(client, world, tmp_path):
    from tests.test_html_valid import validate

    hoax_post(world.kim_a, status="published", title="Tayang", slug="tayang")
    hoax_post(world.kim_a, status="submitted", title="Antre", slug="antre", sources="")
    make_post(world.kim_b, title="Sambal", kind="umkm", status="published", price=25000)
    draft = hoax_post(world.kim_a, author=world.a_contributor, verdict="")
    queued = Post.objects.get(slug="antre")
    pages = {
        "hoaks": body(client.get("/hoaks/?putusan=hoaks&provinsi=35")),
        "umkm": body(client.get("/umkm/?kategori=lainnya")),
        "post page": body(client.get("/kabar/tayang/", host=HOST)),
    }
    client.force_login(world.a_contributor)
    pages["editor error"] = body(
        client.post(f"{BASE}/{draft.pk}/kirim/", fields(kirim="1"), kelola=True)
    )
    client.force_login(world.surabaya_admin)
    pages["queue"] = body(client.get("/moderasi/", kelola=True))
    pages["detail"] = body(client.get(f"/moderasi/{queued.pk}/", kelola=True))
    errors = validate(pages, tmp_path)
    assert errors == [], "\n".join(errors)
