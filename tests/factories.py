"""Builders for the shared test world. Each returns saved rows with realistic codes."""

from types import SimpleNamespace

from accounts.models import User
from regions.models import District, Province, Regency, Village


def make_user(
    email: str, *, full_name: str = "", password: str = "rahasia-kim-123", **fields
) -> User:
    return User.objects.create_user(
        email, password, full_name=full_name or email.split("@")[0].title(), **fields
    )


def make_region_tree() -> SimpleNamespace:
    """Jawa Timur (Kota Surabaya, Kabupaten Malang) and Jawa Barat (Kota Bandung).

    Attribute names are short handles used throughout the tests: jatim, jabar, surabaya, malang,
    bandung, genteng (district), ketabang (village), ...
    """
    jatim = Province.objects.create(code="35", name="Jawa Timur", slug="jawa-timur")
    jabar = Province.objects.create(code="32", name="Jawa Barat", slug="jawa-barat")
    surabaya = Regency.objects.create(
        code="35.78", province=jatim, name="Kota Surabaya", slug="kota-surabaya", kind="kota"
    )
    malang = Regency.objects.create(
        code="35.07",
        province=jatim,
        name="Kabupaten Malang",
        slug="kabupaten-malang",
        kind="kabupaten",
    )
    bandung = Regency.objects.create(
        code="32.73", province=jabar, name="Kota Bandung", slug="kota-bandung", kind="kota"
    )
    genteng = District.objects.create(
        code="35.78.09", regency=surabaya, name="Genteng", slug="genteng"
    )
    dau = District.objects.create(code="35.07.20", regency=malang, name="Dau", slug="dau")
    sukasari = District.objects.create(
        code="32.73.01", regency=bandung, name="Sukasari", slug="sukasari"
    )
    ketabang = Village.objects.create(
        code="35.78.09.1003", district=genteng, name="Ketabang", slug="ketabang", kind="kelurahan"
    )
    kapasari = Village.objects.create(
        code="35.78.09.1005", district=genteng, name="Kapasari", slug="kapasari", kind="kelurahan"
    )
    sumbersekar = Village.objects.create(
        code="35.07.20.2005", district=dau, name="Sumbersekar", slug="sumbersekar", kind="desa"
    )
    gegerkalong = Village.objects.create(
        code="32.73.01.1002",
        district=sukasari,
        name="Gegerkalong",
        slug="gegerkalong",
        kind="kelurahan",
    )
    return SimpleNamespace(**locals())
