import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from communities.validation import sk_file_kind, slug_suggestions, validate_slug

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("slug", "code"),
    [
        ("ab", "length"),
        ("a" * 41, "length"),
        ("Kim-Maju", "format"),
        ("-kim", "format"),
        ("kim-", "format"),
        ("kim--maju", "format"),
        ("kim_maju", "format"),
        ("kim maju", "format"),
        ("kelola", "reserved"),
        ("admin", "reserved"),
        ("kim-ketabang", "taken"),
    ],
)
def test_invalid_slugs(world, slug, code):
    with pytest.raises(ValidationError) as exc:
        validate_slug(slug)
    assert exc.value.code == code


def test_former_slugs_stay_taken(world):
    from communities.services import community_change_slug

    community_change_slug(community=world.kim_a, actor=world.national_admin, new_slug="kim-baru")
    with pytest.raises(ValidationError):
        validate_slug("kim-ketabang")
    validate_slug("kim-ketabang", exclude_pk=world.kim_a.pk)  # its own former name is fine


def test_valid_slugs(world):
    for slug in ("kim-maju-jaya", "a1b", "a" * 40, "desa-01"):
        validate_slug(slug)


def test_suggestions_are_free_and_valid(world):
    suggestions = slug_suggestions(
        "KIM Ketabang", village_name="Ketabang", regency_name="Kota Surabaya"
    )
    assert "kim-ketabang" not in suggestions
    assert suggestions
    for suggestion in suggestions:
        validate_slug(suggestion)
    assert "kim-ketabang-surabaya" in suggestions


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (20, 20), "white").save(buffer, "PNG")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [
        ("sk.pdf", b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n%%EOF\n", "pdf"),
        ("sk.png", png_bytes(), "png"),
        ("scan.pdf", png_bytes(), "png"),  # the content decides, not the name
    ],
)
def test_sk_accepted_by_content(name, content, kind):
    assert sk_file_kind(SimpleUploadedFile(name, content)) == kind


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("sk.pdf", b"just text pretending to be a pdf", "type"),
        ("sk.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, "broken"),
        ("sk.pdf", b"%PDF-" + b"0" * (5 * 1024 * 1024), "too_big"),
    ],
)
def test_sk_refused(name, content, code):
    with pytest.raises(ValidationError) as exc:
        sk_file_kind(SimpleUploadedFile(name, content))
    assert exc.value.code == code
