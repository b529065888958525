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


def make_community(
    *,
    village: Village,
    slug: str,
    name: str = "",
    status: str = "verified",
    applicant: User | None = None,
    members: int = 10,
    **fields,
):
    """A KIM at `village`, with a roster of `members` people (the first is ketua)."""
    from django.utils import timezone

    from communities.models import Community, Member

    community = Community(
        name=name or f"KIM {village.name}",
        slug=slug,
        status=status,
        applicant=applicant,
        sk_number=f"140/{slug}/2026",
        sk_date=timezone.localdate(),
        submitted_at=timezone.now() if status != "draft" else None,
        verified_at=timezone.now() if status == "verified" else None,
        **fields,
    )
    community.set_village(village)
    if status == "verified" and not community.nomor_induk:
        community.nomor_induk = village.code.replace(".", "") + "01"
    if status != "draft":
        from django.core.files.base import ContentFile

        community.sk_file.save(f"sk-{slug}.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=False)
    community.save()
    Member.objects.bulk_create(
        Member(
            community=community,
            name=f"Anggota {i} {slug}",
            position="ketua" if i == 0 else "anggota",
            phone=f"0812000{i:04d}",
            sort_order=i,
        )
        for i in range(members)
    )
    return community


def make_role(community, user: User, role: str):
    from communities.models import Role

    return Role.objects.create(community=community, user=user, role=role)


def make_staff(email: str, level: str, *, province=None, regency=None) -> User:
    from accounts.models import StaffScope

    user = make_user(email)
    StaffScope.objects.create(user=user, level=level, province=province, regency=regency)
    return user


def make_world() -> SimpleNamespace:
    """The shared world of the communities and posts tests.

    KIM A (kim-ketabang) is in Kota Surabaya, Jawa Timur; KIM B (kim-gegerkalong) in Kota
    Bandung, Jawa Barat. Each has an admin, an editor and a contributor. Staff: a regency admin
    for each of the three regencies, a province admin for each province, a national admin.
    Pending sign-ups: pending_a (Kapasari, Surabaya) and pending_b (Bandung, another village).
    """
    r = make_region_tree()
    w = SimpleNamespace(regions=r)
    w.a_applicant = make_user("pendaftar-a@example.id", full_name="Pendaftar A")
    w.kim_a = make_community(
        village=r.ketabang, slug="kim-ketabang", name="KIM Ketabang Maju", applicant=w.a_applicant
    )
    w.kim_b = make_community(
        village=r.gegerkalong, slug="kim-gegerkalong", name="KIM Gegerkalong Sejahtera"
    )
    for tenant in ("a", "b"):
        community = getattr(w, f"kim_{tenant}")
        for role in ("admin", "editor", "contributor"):
            user = make_user(
                f"{tenant}-{role}@example.id", full_name=f"{role.title()} {tenant.upper()}"
            )
            make_role(community, user, role)
            setattr(w, f"{tenant}_{role}", user)
    w.pending_applicant = make_user("pendaftar-baru@example.id", full_name="Pendaftar Baru")
    w.pending_a = make_community(
        village=r.kapasari,
        slug="kim-kapasari",
        name="KIM Kapasari",
        status="pending",
        applicant=w.pending_applicant,
    )
    w.pending_b = make_community(
        village=r.gegerkalong,
        slug="kim-geger-dua",
        name="KIM Geger Dua",
        status="pending",
        applicant=make_user("pendaftar-b@example.id"),
    )
    w.surabaya_admin = make_staff("diskominfo-surabaya@example.id", "regency", regency=r.surabaya)
    w.malang_admin = make_staff("diskominfo-malang@example.id", "regency", regency=r.malang)
    w.bandung_admin = make_staff("diskominfo-bandung@example.id", "regency", regency=r.bandung)
    w.jatim_admin = make_staff("diskominfo-jatim@example.id", "province", province=r.jatim)
    w.jabar_admin = make_staff("diskominfo-jabar@example.id", "province", province=r.jabar)
    w.national_admin = make_staff("kemkomdigi@example.id", "national")
    w.outsider = make_user("warga@example.id", full_name="Warga Biasa")
    return w


def make_post(
    community, *, author=None, title: str = "Kerja bakti", status: str = "draft", **fields
):
    from django.utils import timezone
    from django.utils.text import slugify

    from posts.models import Post

    published = status == "published"
    return Post.objects.create(
        community=community,
        regency_id=community.regency_id,
        province_id=community.province_id,
        author=author,
        title=title,
        slug=fields.pop("slug", slugify(title)),
        status=status,
        published_at=fields.pop("published_at", timezone.now() if published else None),
        **fields,
    )


def jpeg_upload(name: str = "foto.jpg", size: tuple[int, int] = (1200, 900), colour=(30, 120, 60)):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, "JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")
