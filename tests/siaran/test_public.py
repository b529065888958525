"""The portal's siaran pages, the source line on relayed posts, and files following a siaran."""

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from kimportal.lib.storage import private_storage
from posts.models import Post
from siaran import services
from siaran.models import Relay
from tests.factories import jpeg_upload, make_community, make_post
from tests.siaran.helpers import make_siaran

pytestmark = pytest.mark.django_db


def _assert_cacheable(response) -> None:
    assert response.status_code == 200
    assert not response.cookies
    assert "csrfmiddlewaretoken" not in response.content.decode()
    assert "public" in response["Cache-Control"]


def test_index_lists_current_siaran_only(client, world):
    make_siaran(world.national_admin, title="Berlaku", national=True)
    make_siaran(world.national_admin, title="Draf siaran", national=True, status="draft")
    make_siaran(world.national_admin, title="Ditarik siaran", national=True, status="withdrawn")
    make_siaran(
        world.national_admin, title="Kedaluwarsa", national=True,
        valid_from=timezone.now() - timezone.timedelta(days=3),
        valid_until=timezone.now() - timezone.timedelta(days=1),
    )  # fmt: skip
    response = client.get("/siaran/")
    _assert_cacheable(response)
    page = response.content.decode()
    assert "Berlaku" in page
    for hidden in ("Draf siaran", "Ditarik siaran", "Kedaluwarsa"):
        assert hidden not in page


def _relays(world, n: int, siaran) -> None:
    """n published relays from n KIMs of Kota Surabaya."""
    for i in range(n):
        kim = make_community(
            village=world.regions.ketabang, slug=f"kim-q{i}", name=f"KIM Q{i}",
            nomor_induk=f"9{i:011d}",
        )  # fmt: skip
        post = make_post(kim, title=f"Terusan {i}", status="published")
        Relay.objects.create(
            siaran=siaran, community=kim, post=post, province_id="35", regency_id="35.78"
        )


@pytest.mark.parametrize("n", [1, 20])
def test_query_bounds(client, world, n, django_assert_max_num_queries):
    for i in range(n):
        siaran = make_siaran(world.national_admin, title=f"Siaran {i}", national=True)
    _relays(world, n, siaran)
    with django_assert_max_num_queries(4):
        _assert_cacheable(client.get("/siaran/"))
    with django_assert_max_num_queries(5):
        response = client.get(f"/siaran/{siaran.pk}-{siaran.slug}/")
    _assert_cacheable(response)
    assert response.content.decode().count("Terusan ") == n


def test_detail_lists_only_public_relays(client, world):
    siaran = make_siaran(world.national_admin, title="Siaran publik", national=True)
    published = make_post(world.kim_a, title="Terusan tayang", status="published")
    draft = make_post(world.kim_b, title="Terusan draf")
    Relay.objects.create(siaran=siaran, community=world.kim_a, post=published)
    Relay.objects.create(siaran=siaran, community=world.kim_b, post=draft)
    suspended = make_community(
        village=world.regions.sumbersekar, slug="kim-beku", name="KIM Beku", status="suspended"
    )
    Relay.objects.create(
        siaran=siaran, community=suspended,
        post=make_post(suspended, title="Terusan beku", status="published"),
    )  # fmt: skip
    page = client.get(f"/siaran/{siaran.pk}-{siaran.slug}/").content.decode()
    assert "Terusan tayang" in page
    assert "Terusan draf" not in page and "Terusan beku" not in page
    assert client.get(f"/siaran/{siaran.pk}-salah/").status_code == 301
    siaran.status = "draft"
    siaran.save()
    assert client.get(f"/siaran/{siaran.pk}-{siaran.slug}/").status_code == 404


def test_post_page_names_its_source_and_carries_the_beacon(client, world):
    siaran = make_siaran(world.national_admin, title="Siaran sumber", national=True)
    post = make_post(world.kim_a, title="Terusan", status="published")
    Relay.objects.create(siaran=siaran, community=world.kim_a, post=post)
    other = make_post(world.kim_a, title="Biasa", status="published")
    host = "kim-ketabang.localhost"
    page = client.get(f"/kabar/{post.slug}/", host=host).content.decode()
    assert "Diteruskan dari siaran" in page and f"/siaran/{siaran.pk}-{siaran.slug}/" in page
    assert f'src="/v/{post.pk}.gif"' in page
    page = client.get(f"/kabar/{other.slug}/", host=host).content.decode()
    assert "Diteruskan dari siaran" not in page
    siaran.status = "withdrawn"
    siaran.save()
    page = client.get(f"/kabar/{post.slug}/", host=host).content.decode()
    assert "Diteruskan dari siaran" not in page


def test_files_follow_the_siaran(client, world, django_capture_on_commit_callbacks):
    pdf = SimpleUploadedFile("a.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf")
    siaran = services.siaran_create(
        actor=world.national_admin,
        data=services.SiaranData(office_name="K", title="Berkas", body="Isi", national=True),
        attachment=pdf,
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.siaran_image_add(siaran=siaran, actor=world.national_admin, file=jpeg_upload())
    url = f"/siaran/{siaran.pk}/lampiran.pdf"
    assert client.get(url).status_code == 404  # a draft's PDF is not public
    services.siaran_publish(siaran=siaran, actor=world.national_admin)
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")
    image = siaran.images.get()
    paths = [e["jpeg"] for e in image.renditions.values()]
    assert paths and all(default_storage.exists(p) for p in paths)
    assert private_storage().exists(image.original.name)  # the original stays private
    page = client.get(f"/siaran/{siaran.pk}-{siaran.slug}/").content.decode()
    assert paths[0] in page or paths[-1] in page
    with django_capture_on_commit_callbacks(execute=True):
        services.siaran_withdraw(siaran=siaran, actor=world.national_admin)
    assert client.get(url).status_code == 404
    image.refresh_from_db()
    withdrawn = [e["jpeg"] for e in image.renditions.values()]
    assert all(p.startswith("withdrawn/") for p in withdrawn)
    assert not any(default_storage.exists(p) for p in paths)
    assert all(private_storage().exists(p) for p in withdrawn)


@pytest.mark.parametrize("n", [1, 20])
def test_report_page_queries_do_not_grow(client, world, n, django_assert_max_num_queries):
    siaran = make_siaran(world.national_admin, national=True)
    _relays(world, n, siaran)
    client.force_login(world.national_admin)
    with django_assert_max_num_queries(16):
        response = client.get(f"/siaran/{siaran.pk}/", kelola=True)
    assert response.status_code == 200
    assert response.content.decode().count("KIM Q") == n


def test_relay_view_redirects_to_the_editor_and_reuses_the_draft(client, world):
    siaran = make_siaran(world.jatim_admin, title="Teruskan ini", provinces=[world.regions.jatim])
    client.force_login(world.a_contributor)
    url = f"/kim/kim-ketabang/siaran/{siaran.pk}/teruskan/"
    first = client.post(url, kelola=True)
    post = Post.objects.get(community=world.kim_a)
    assert first.status_code == 302 and first["Location"] == f"/kim/kim-ketabang/tulisan/{post.pk}/"
    second = client.post(url, kelola=True)
    assert second["Location"] == first["Location"]
    assert Post.objects.filter(community=world.kim_a).count() == 1
    inbox = client.get("/kim/kim-ketabang/siaran/", kelola=True).content.decode()
    assert "sudah diteruskan" in inbox


def test_a_photo_processed_after_the_withdrawal_stays_private(world):
    from siaran import images

    siaran = make_siaran(world.national_admin, national=True, status="draft")
    image = services.siaran_image_add(siaran=siaran, actor=world.national_admin, file=jpeg_upload())
    siaran.status = "withdrawn"
    siaran.save()
    assert images.image_process(image_id=image.pk) == "ready"
    image.refresh_from_db()
    paths = [e["jpeg"] for e in image.renditions.values()]
    assert paths and all(p.startswith("withdrawn/") for p in paths)
    assert not any(default_storage.exists(p) for p in paths)
