"""Demo data for `make run`: KIMs on real village codes, their people, and Diskominfo staff.

Everything is written through the services a real sign-up uses (draft → village → name → SK →
roster → submit → verify → profile; roles by invitation; staff scopes by the national admin), so
the demo shows what the code really produces. The Forum KIM has no sign-up flow yet and is written
directly. Idempotent: what already exists (by email, by subdomain) is left alone.
"""

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import StaffScope, User
from accounts.services import staff_scope_add
from communities import permissions, services
from communities.models import Community, Member, Role, VerificationEvent
from communities.validation import slug_is_taken
from kimportal.lib.links import kelola_url, subsite_url
from regions.models import Province, Regency, Village

DEMO_PASSWORD = "kimdemo2026"  # noqa: S105 - published demo credentials
DEMO_DOMAIN = "demo.kim.id"

P = Member.Position


class RegionsMissing(Exception):
    """The region tree (load_regions) is not loaded, or lacks a code the demo uses."""


@dataclass(frozen=True)
class Person:
    name: str
    position: str
    detail: str = ""


@dataclass(frozen=True)
class DemoKim:
    slug: str
    name: str
    village: str  # Kemendagri code of a real village in regions/data/villages.csv.gz
    street: str
    tagline: str
    about: str
    vision: str
    mission: str
    sectors: tuple[str, ...]
    colour: str
    whatsapp: str
    handle: str  # social media handle
    roster: tuple[Person, ...]
    verified_days_ago: int | None  # None: submitted and waiting for verification
    # Accounts: the ketua signs up and becomes the KIM's admin; more roles by invitation.
    admin: str = ""
    invited: tuple[tuple[str, str, str], ...] = field(default=())  # (email, member name, role)


def _email(local: str) -> str:
    return f"{local}@{DEMO_DOMAIN}"


KIMS: tuple[DemoKim, ...] = (
    DemoKim(
        slug="kim-ketabang",
        name="KIM Ketabang Maju",
        village="35.78.07.1004",
        street="Jl. Jaksa Agung Suprapto No. 2, Balai RW 03",
        tagline="Kabar kampung Ketabang, dari warga untuk warga",
        about=(
            "KIM Ketabang Maju adalah kelompok warga Kelurahan Ketabang yang mengabarkan kegiatan "
            "kampung, program Pemerintah Kota Surabaya, dan potensi UMKM di sekitar Balai Kota.\n"
            "Setiap Kamis malam kami berkumpul di balai RW untuk menyusun kabar pekan ini dan "
            "memeriksa pesan berantai yang beredar di grup WhatsApp warga."
        ),
        vision="Warga Ketabang yang melek informasi, guyub, dan bebas hoaks.",
        mission=(
            "Menyebarkan informasi publik yang benar dan mudah dipahami.\n"
            "Menampung dan menyampaikan aspirasi warga kepada kelurahan.\n"
            "Mengenalkan produk UMKM kampung lewat media sosial.\n"
            "Mengadakan kelas literasi digital bagi warga lanjut usia."
        ),
        sectors=("umkm", "literasi_digital", "kesehatan"),
        colour="#0b6e4f",
        whatsapp="0812-3170-4401",
        handle="kimketabang.demo",
        roster=(
            Person("Hadi Santoso", P.KETUA),
            Person("Dwi Rahmawati", P.SEKRETARIS),
            Person("Bambang Sugiarto", P.BENDAHARA),
            Person("Rina Kusumawati", P.SEKSI, "Seksi Humas dan Media"),
            Person("Agus Prasetyo", P.SEKSI, "Seksi Literasi Digital"),
            Person("Siti Aminah", P.SEKSI, "Seksi Pemberdayaan UMKM"),
            Person("Moch. Faisal", P.ANGGOTA),
            Person("Nur Hidayati", P.ANGGOTA),
            Person("Eko Wahyudi", P.ANGGOTA),
            Person("Yuliana Pratiwi", P.ANGGOTA),
            Person("Slamet Riyadi", P.ANGGOTA),
            Person("Fitri Handayani", P.ANGGOTA),
        ),
        verified_days_ago=210,
        admin="admin.ketabang",
        invited=(
            ("editor.ketabang", "Rina Kusumawati", Role.Kind.EDITOR),
            ("kontributor.ketabang", "Agus Prasetyo", Role.Kind.CONTRIBUTOR),
        ),
    ),
    DemoKim(
        slug="kim-kemiren",
        name="KIM Kemiren Osing",
        village="35.10.15.2004",
        street="Jl. Barong Kemiren, depan Pendopo Desa",
        tagline="Kabar Desa Adat Osing Kemiren",
        about=(
            "Kami warga Desa Kemiren, Kecamatan Glagah, yang merawat budaya Osing sambil "
            "mengabarkan kegiatan desa wisata: Ider Bumi, Tumpeng Sewu, dan kopi Kemiren.\n"
            "KIM Kemiren membantu pemerintah desa menyampaikan informasi kepada wisatawan dan "
            "warga."
        ),
        vision="Desa Kemiren yang lestari budayanya dan terbuka informasinya.",
        mission=(
            "Mendokumentasikan tradisi dan kesenian Osing.\n"
            "Menyebarkan agenda desa wisata kepada warga dan pengunjung.\n"
            "Melatih pemuda desa membuat konten yang jujur dan menarik."
        ),
        sectors=("budaya", "pariwisata", "umkm"),
        colour="#8a1c1c",
        whatsapp="0813-3500-2190",
        handle="kimkemiren.demo",
        roster=(
            Person("Suhaimi", P.KETUA),
            Person("Lilis Suryani", P.SEKRETARIS),
            Person("Adi Purwadi", P.BENDAHARA),
            Person("Sunarto", P.SEKSI, "Seksi Seni dan Budaya Osing"),
            Person("Endang Susilowati", P.SEKSI, "Seksi Pariwisata"),
            Person("Yusuf Effendi", P.SEKSI, "Seksi Humas"),
            Person("Sulastri", P.ANGGOTA),
            Person("Mujiono", P.ANGGOTA),
            Person("Tri Wahyuni", P.ANGGOTA),
            Person("Sarino", P.ANGGOTA),
            Person("Anik Fauziyah", P.ANGGOTA),
        ),
        verified_days_ago=160,
        admin="admin.kemiren",
    ),
    DemoKim(
        slug="kim-dago",
        name="KIM Dago Digital",
        village="32.73.02.1004",
        street="Jl. Ir. H. Juanda No. 380, Sekretariat Karang Taruna",
        tagline="Informasi warga Dago, cepat dan bisa dipercaya",
        about=(
            "KIM Dago Digital beranggotakan warga dan mahasiswa di Kelurahan Dago, Kecamatan "
            "Coblong. Kami mengabarkan informasi layanan publik, kesiapsiagaan bencana di "
            "lereng utara Bandung, dan kegiatan kreatif anak muda."
        ),
        vision="Dago yang tangguh bencana dan cakap digital.",
        mission=(
            "Menyebarkan peringatan dini cuaca dan longsor dari sumber resmi.\n"
            "Mengadakan pelatihan cek fakta untuk RT dan RW.\n"
            "Menghubungkan warga dengan layanan Pemerintah Kota Bandung."
        ),
        sectors=("kebencanaan", "literasi_digital", "pendidikan"),
        colour="#1d4e89",
        whatsapp="0822-1800-7315",
        handle="kimdago.demo",
        roster=(
            Person("Asep Saepudin", P.KETUA),
            Person("Euis Komariah", P.SEKRETARIS),
            Person("Dede Kurniawan", P.BENDAHARA),
            Person("Neng Siti Nurhasanah", P.SEKSI, "Seksi Literasi Digital"),
            Person("Ujang Suherman", P.SEKSI, "Seksi Kebencanaan"),
            Person("Rizky Ramadhan", P.SEKSI, "Seksi Media"),
            Person("Yayat Sudrajat", P.ANGGOTA),
            Person("Lina Marlina", P.ANGGOTA),
            Person("Cecep Hidayat", P.ANGGOTA),
            Person("Teti Rohaeti", P.ANGGOTA),
            Person("Iwan Setiawan", P.ANGGOTA),
            Person("Nining Nurjanah", P.ANGGOTA),
            Person("Ridwan Maulana", P.ANGGOTA),
        ),
        verified_days_ago=120,
        admin="admin.dago",
    ),
    DemoKim(
        slug="kim-sinduadi",
        name="KIM Sinduadi Guyub",
        village="34.04.06.2001",
        street="Balai Kalurahan Sinduadi, Jl. Kaliurang Km 5",
        tagline="Guyub rukun, informasi terbuka",
        about=(
            "KIM Sinduadi Guyub adalah wadah warga Kalurahan Sinduadi, Kecamatan Mlati, untuk "
            "berbagi informasi pertanian kota, kesehatan keluarga, dan kegiatan padukuhan."
        ),
        vision="Warga Sinduadi yang berdaya lewat informasi.",
        mission=(
            "Menyampaikan informasi program kalurahan ke setiap padukuhan.\n"
            "Mendampingi kelompok tani memasarkan hasil panen secara daring.\n"
            "Menggerakkan posyandu lewat kabar yang mudah diakses."
        ),
        sectors=("pertanian", "kesehatan", "pendidikan"),
        colour="#6a3d9a",
        whatsapp="0821-3400-5127",
        handle="kimsinduadi.demo",
        roster=(
            Person("Budi Santosa", P.KETUA),
            Person("Wahyu Widayati", P.SEKRETARIS),
            Person("Sutrisno", P.BENDAHARA),
            Person("Ratna Dewi Lestari", P.SEKSI, "Seksi Humas"),
            Person("Joko Purnomo", P.SEKSI, "Seksi Pertanian"),
            Person("Dian Anggraeni", P.SEKSI, "Seksi Pendidikan"),
            Person("Heru Cahyono", P.ANGGOTA),
            Person("Sri Mulyani", P.ANGGOTA),
            Person("Bayu Aji Nugroho", P.ANGGOTA),
            Person("Tutik Haryani", P.ANGGOTA),
            Person("Pardiyo", P.ANGGOTA),
        ),
        verified_days_ago=90,
        admin="admin.sinduadi",
    ),
    DemoKim(
        slug="kim-ubud",
        name="KIM Ubud Santhi",
        village="51.04.05.1005",
        street="Jl. Raya Ubud, Wantilan Kelurahan Ubud",
        tagline="Kabar banjar dan budaya Ubud",
        about=(
            "KIM Ubud Santhi menghimpun pemuda banjar di Kelurahan Ubud untuk mengabarkan "
            "upacara, agenda seni, dan informasi layanan publik bagi warga dan pelaku wisata."
        ),
        vision="Ubud yang santun, lestari, dan terinformasi.",
        mission=(
            "Mengabarkan agenda adat dan seni dengan hormat.\n"
            "Membantu pelaku usaha kecil mengenal layanan perizinan.\n"
            "Menjaga kebersihan lingkungan lewat kampanye warga."
        ),
        sectors=("budaya", "pariwisata", "lingkungan"),
        colour="#8a5200",
        whatsapp="0819-3620-4488",
        handle="kimubud.demo",
        roster=(
            Person("I Wayan Sudarta", P.KETUA),
            Person("Ni Made Ayu Lestari", P.SEKRETARIS),
            Person("I Nyoman Suardana", P.BENDAHARA),
            Person("Ni Ketut Sriani", P.SEKSI, "Seksi Pariwisata"),
            Person("I Gede Putra Wirawan", P.SEKSI, "Seksi Seni dan Budaya"),
            Person("Ni Luh Putu Ariani", P.SEKSI, "Seksi Media"),
            Person("I Komang Adi Saputra", P.ANGGOTA),
            Person("Ni Kadek Dwi Antari", P.ANGGOTA),
            Person("I Putu Eka Pradnyana", P.ANGGOTA),
            Person("Ni Wayan Sukerti", P.ANGGOTA),
        ),
        verified_days_ago=60,
        admin="admin.ubud",
    ),
    DemoKim(
        slug="kim-tamalanrea",
        name="KIM Tamalanrea Bersinar",
        village="73.71.14.1001",
        street="Jl. Perintis Kemerdekaan Km 10, Kantor Kelurahan Tamalanrea",
        tagline="Informasi warga Tamalanrea, terang dan tepercaya",
        about=(
            "KIM Tamalanrea Bersinar adalah kelompok warga Kelurahan Tamalanrea, Kota Makassar, "
            "yang aktif melawan hoaks, mengabarkan layanan kesehatan, dan mendampingi UMKM "
            "kuliner di sekitar kampus."
        ),
        vision="Tamalanrea yang sehat, cerdas, dan bebas hoaks.",
        mission=(
            "Memeriksa dan meluruskan kabar bohong yang beredar di lingkungan.\n"
            "Menyebarkan jadwal layanan puskesmas dan posyandu.\n"
            "Mengangkat UMKM kuliner warga."
        ),
        sectors=("kesehatan", "umkm", "literasi_digital"),
        colour="#005f73",
        whatsapp="0852-4200-6671",
        handle="kimtamalanrea.demo",
        roster=(
            Person("Andi Muhammad Ridwan", P.KETUA),
            Person("Sitti Nurhayati", P.SEKRETARIS),
            Person("Muhammad Syahrir", P.BENDAHARA),
            Person("Andi Nurul Fadhilah", P.SEKSI, "Seksi Literasi Digital"),
            Person("Rahmat Hidayat", P.SEKSI, "Seksi Humas"),
            Person("Hasnawati", P.SEKSI, "Seksi Kesehatan"),
            Person("Syamsul Bahri", P.ANGGOTA),
            Person("Nurlela", P.ANGGOTA),
            Person("Ahmad Fauzi", P.ANGGOTA),
            Person("Irmawati", P.ANGGOTA),
            Person("Arifuddin", P.ANGGOTA),
            Person("Sri Wahyuni Ningsih", P.ANGGOTA),
            Person("Muh. Ikhsan", P.ANGGOTA),
        ),
        verified_days_ago=30,
        admin="admin.tamalanrea",
    ),
    DemoKim(
        slug="kim-olehsari",
        name="KIM Olehsari Lestari",
        village="35.10.15.2005",
        street="Dusun Krajan, Desa Olehsari",
        tagline="Kabar Desa Olehsari",
        about="Kelompok warga Desa Olehsari yang baru mendaftar.",
        vision="",
        mission="",
        sectors=("budaya",),
        colour="#2d6a4f",
        whatsapp="0813-3600-9924",
        handle="kimolehsari.demo",
        roster=(
            Person("Mohammad Saleh", P.KETUA),
            Person("Nurul Aini", P.SEKRETARIS),
            Person("Sugianto", P.BENDAHARA),
            Person("Rudi Hartono", P.SEKSI, "Seksi Humas"),
            Person("Wiwin Kurniasih", P.SEKSI, "Seksi UMKM"),
            Person("Jumali", P.ANGGOTA),
            Person("Siti Fatimah", P.ANGGOTA),
            Person("Hariyanto", P.ANGGOTA),
            Person("Erna Susanti", P.ANGGOTA),
            Person("Samsul Arifin", P.ANGGOTA),
        ),
        verified_days_ago=None,
        admin="pendaftar.olehsari",
    ),
)

FORUM = DemoKim(
    slug="forum-kim-surabaya",
    name="Forum KIM Kota Surabaya",
    village="",
    street="Gedung Siola Lt. 4, Jl. Tunjungan No. 1",
    tagline="Wadah KIM se-Kota Surabaya",
    about=(
        "Forum KIM Kota Surabaya menghimpun Kelompok Informasi Masyarakat dari seluruh "
        "kelurahan di Surabaya: berbagi praktik baik, pelatihan bersama, dan koordinasi dengan "
        "Diskominfo Kota Surabaya."
    ),
    vision="KIM Surabaya yang kompak, profesional, dan tepercaya.",
    mission=(
        "Mengoordinasikan kegiatan KIM se-Kota Surabaya.\n"
        "Menyelenggarakan pelatihan jurnalistik warga dan cek fakta.\n"
        "Menjadi mitra Diskominfo dalam diseminasi informasi publik."
    ),
    sectors=("literasi_digital", "pendidikan"),
    colour="#3d405b",
    whatsapp="0811-3000-5678",
    handle="forumkimsurabaya.demo",
    roster=(
        Person("Sugeng Widodo", P.KETUA),
        Person("Wiwik Sulistyowati", P.SEKRETARIS),
        Person("Abdul Rozaq", P.BENDAHARA),
        Person("Mulyadi", P.SEKSI, "Seksi Organisasi"),
        Person("Indah Permatasari", P.SEKSI, "Seksi Humas"),
        Person("Hadi Santoso", P.ANGGOTA, "KIM Ketabang Maju"),
        Person("Lukman Hakim", P.ANGGOTA),
        Person("Retno Wulandari", P.ANGGOTA),
        Person("Ahmad Zainuddin", P.ANGGOTA),
        Person("Ninik Suprapti", P.ANGGOTA),
    ),
    verified_days_ago=10,
)
FORUM_REGENCY = "35.78"

NATIONAL_ADMIN = ("kemkomdigi", "Tim KIM Kemkomdigi")
PROVINCE_ADMINS = (("diskominfo.jatim", "Diskominfo Provinsi Jawa Timur", "35"),)
REGENCY_ADMINS = (
    ("diskominfo.surabaya", "Diskominfo Kota Surabaya", "35.78"),
    ("diskominfo.banyuwangi", "Diskominfo Kabupaten Banyuwangi", "35.10"),
    ("diskominfo.bandung", "Diskominfo Kota Bandung", "32.73"),
    ("diskominfo.sleman", "Diskominfo Kabupaten Sleman", "34.04"),
    ("diskominfo.gianyar", "Diskominfo Kabupaten Gianyar", "51.04"),
    ("diskominfo.makassar", "Diskominfo Kota Makassar", "73.71"),
)


@dataclass
class SeedReport:
    users_created: list[str] = field(default_factory=list)
    communities_created: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.users_created or self.communities_created)


@dataclass(frozen=True)
class Credential:
    email: str
    role: str


# --- Helpers ---------------------------------------------------------------------------------


def _require_regions() -> None:
    villages = [k.village for k in KIMS]
    regencies = [FORUM_REGENCY, *(code for _l, _n, code in REGENCY_ADMINS)]
    provinces = [code for _l, _n, code in PROVINCE_ADMINS]
    found = (
        Village.objects.filter(code__in=villages).count(),
        Regency.objects.filter(code__in=regencies).count(),
        Province.objects.filter(code__in=provinces).count(),
    )
    if found != (len(set(villages)), len(set(regencies)), len(set(provinces))):
        raise RegionsMissing(
            _(
                "Data wilayah belum dimuat (atau belum lengkap). "
                "Jalankan dulu: python manage.py load_regions"
            )
        )


def _user(local: str, full_name: str, report: SeedReport) -> User:
    email = _email(local)
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(email, DEMO_PASSWORD, full_name=full_name)
        report.users_created.append(email)
    return user


def sk_pdf(lines: list[str]) -> bytes:
    """A one-page PDF with a few lines of Helvetica text: a stand-in for a scanned SK."""

    def escape(text: str) -> str:
        return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")

    shown = " ".join(f"({escape(line)}) '" for line in lines)
    content = f"BT /F1 12 Tf 16 TL 72 780 Td {shown} ET".encode("latin-1", "replace")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content),
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def _phone(index: int, seed: int) -> str:
    return f"0812-{3000 + seed:04d}-{1000 + index * 7:04d}"


def _profile(spec: DemoKim) -> dict:
    return {
        "tagline": spec.tagline,
        "about": spec.about,
        "vision": spec.vision,
        "mission": spec.mission,
        "focus_sectors": list(spec.sectors),
        "brand_colour": spec.colour,
        "whatsapp": spec.whatsapp,
        "email": _email(spec.slug.replace("-", ".")),
        "facebook": f"https://www.facebook.com/{spec.handle}",
        "instagram": f"https://www.instagram.com/{spec.handle}",
        "youtube": f"https://www.youtube.com/@{spec.handle}",
    }


def _link_member(community: Community, member_name: str, user: User) -> None:
    Member.objects.filter(community=community, name=member_name, user=None).update(user=user)


# --- The seeding -----------------------------------------------------------------------------


def _seed_staff(report: SeedReport) -> User:
    local, full_name = NATIONAL_ADMIN
    national = _user(local, full_name, report)
    # The first national admin cannot be appointed by another one: written directly.
    StaffScope.objects.get_or_create(user=national, level=StaffScope.Level.NATIONAL)
    permissions.forget(national)
    for local, full_name, code in PROVINCE_ADMINS:
        user = _user(local, full_name, report)
        if not StaffScope.objects.filter(user=user, province_id=code).exists():
            staff_scope_add(
                actor=national,
                email=user.email,
                level=StaffScope.Level.PROVINCE,
                province=Province.objects.get(code=code),
            )
    for local, full_name, code in REGENCY_ADMINS:
        user = _user(local, full_name, report)
        if not StaffScope.objects.filter(user=user, regency_id=code).exists():
            staff_scope_add(
                actor=national,
                email=user.email,
                level=StaffScope.Level.REGENCY,
                regency=Regency.objects.get(code=code),
            )
    return national


def _seed_kim(spec: DemoKim, *, national: User, index: int, report: SeedReport) -> None:
    if slug_is_taken(spec.slug):
        return
    ketua = spec.roster[0].name
    applicant = _user(spec.admin, ketua, report)
    community = services.community_draft_start(applicant=applicant)
    services.community_set_village(
        community=community, village=Village.objects.get(code=spec.village)
    )
    services.community_set_identity(
        community=community, name=spec.name, slug=spec.slug, street_address=spec.street
    )
    days = spec.verified_days_ago if spec.verified_days_ago is not None else 3
    decree_date = timezone.localdate() - timedelta(days=days + 30)
    number = f"140/{12 + index:02d}/{spec.village[:5]}/{decree_date.year}"
    services.community_set_decree(
        community=community,
        number=number,
        decree_date=decree_date,
        file=SimpleUploadedFile(
            "sk.pdf",
            sk_pdf(_decree_lines(spec, number, decree_date)),
            content_type="application/pdf",
        ),
    )
    services.community_set_roster(
        community=community,
        members=[
            services.MemberData(
                name=p.name, position=p.position, position_detail=p.detail, phone=_phone(i, index)
            )
            for i, p in enumerate(spec.roster)
        ],
    )
    _link_member(community, ketua, applicant)
    services.community_submit(community=community, actor=applicant)
    report.communities_created.append(spec.slug)
    if spec.verified_days_ago is None:
        return
    services.community_verify(community=community, actor=national)
    permissions.forget(applicant)
    services.community_update_profile(community=community, actor=applicant, **_profile(spec))
    for local, member_name, role in spec.invited:
        user = _user(local, member_name, report)
        _, token = services.invitation_create(
            community=community, actor=applicant, email=user.email, role=role
        )
        services.invitation_accept(token=token, user=user)
        _link_member(community, member_name, user)
    # Spread the dates so that "newest KIMs" and the profile pages look lived-in.
    verified_at = timezone.now() - timedelta(days=spec.verified_days_ago)
    community.submitted_at = verified_at - timedelta(days=4)
    community.verified_at = verified_at
    community.save(update_fields=["submitted_at", "verified_at", "updated_at"])


def _decree_lines(spec: DemoKim, number: str, decree_date: date) -> list[str]:
    village = Village.objects.select_related("district__regency").get(code=spec.village)
    head = "LURAH" if village.kind == Village.Kind.KELURAHAN else "KEPALA DESA"
    return [
        f"{head} {village.name.upper()}",
        f"{village.district.regency.name.upper()}",
        "",
        "KEPUTUSAN",
        f"NOMOR {number}",
        "TENTANG PEMBENTUKAN KELOMPOK INFORMASI MASYARAKAT",
        spec.name.upper(),
        "",
        f"Ditetapkan di {village.name} pada tanggal {decree_date:%d-%m-%Y}",
        "(dokumen contoh untuk data demo kim.id)",
    ]


def _seed_forum(spec: DemoKim, *, national: User, report: SeedReport) -> None:
    if slug_is_taken(spec.slug):
        return
    regency = Regency.objects.select_related("province").get(code=FORUM_REGENCY)
    verified_at = timezone.now() - timedelta(days=spec.verified_days_ago or 0)
    community = Community(
        kind=Community.Kind.FORUM_REGENCY,
        name=spec.name,
        slug=spec.slug,
        status=Community.Status.VERIFIED,
        regency=regency,
        province=regency.province,
        street_address=spec.street,
        submitted_at=verified_at - timedelta(days=4),
        verified_at=verified_at,
        **_profile(spec),
    )
    community.full_clean(exclude=["sk_file", "applicant"])
    community.save()
    Member.objects.bulk_create(
        Member(
            community=community,
            name=p.name,
            position=p.position,
            position_detail=p.detail,
            phone=_phone(i, 99),
            sort_order=i,
        )
        for i, p in enumerate(spec.roster)
    )
    VerificationEvent.objects.create(
        community=community, action=VerificationEvent.Action.VERIFIED, actor=national
    )
    report.communities_created.append(spec.slug)


@contextmanager
def _no_demo_mail() -> Iterator[None]:
    """Demo addresses get no email, and the in-process task runs do not flood the console.

    The services' notifications run on commit, inside this block, when tasks run in-process (as in
    development); with a real broker they are queued like any other mail.
    """
    trace = logging.getLogger("celery.app.trace")
    level = trace.level
    trace.setLevel(logging.WARNING)
    try:
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
            yield
    finally:
        trace.setLevel(level)


def seed_demo() -> SeedReport:
    """Create whatever part of the demo data is missing; raise RegionsMissing without regions."""
    _require_regions()
    report = SeedReport()
    with _no_demo_mail(), transaction.atomic():
        national = _seed_staff(report)
        for index, spec in enumerate(KIMS):
            _seed_kim(spec, national=national, index=index, report=report)
        _seed_forum(FORUM, national=national, report=report)
    return report


# --- What to tell the person who ran it ------------------------------------------------------


def credentials() -> list[Credential]:
    """Every demo account and what it may do, in the order the table shows them."""
    rows = [Credential(_email(NATIONAL_ADMIN[0]), _("Admin nasional (Kemkomdigi)"))]
    rows += [
        Credential(_email(local), _("Admin provinsi: %(name)s") % {"name": name})
        for local, name, _code in PROVINCE_ADMINS
    ]
    rows += [
        Credential(_email(local), _("Admin kabupaten/kota: %(name)s") % {"name": name})
        for local, name, _code in REGENCY_ADMINS
    ]
    for spec in KIMS:
        if spec.verified_days_ago is None:
            role = _("Pendaftar %(kim)s (menunggu verifikasi)") % {"kim": spec.name}
        else:
            role = _("Admin KIM: %(kim)s") % {"kim": spec.name}
        rows.append(Credential(_email(spec.admin), role))
        labels = {Role.Kind.EDITOR: _("Editor KIM"), Role.Kind.CONTRIBUTOR: _("Kontributor KIM")}
        rows += [
            Credential(_email(local), f"{labels[role]}: {spec.name}")
            for local, _member, role in spec.invited
        ]
    return rows


def subsites() -> list[tuple[str, str]]:
    """(name, subsite URL or a note) of every demo KIM."""
    rows = []
    for spec in (*KIMS, FORUM):
        if spec.verified_days_ago is None:
            rows.append((spec.name, _("menunggu verifikasi: belum punya situs")))
        else:
            rows.append((spec.name, subsite_url(spec.slug, "subsite:home")))
    return rows


def sign_in_url() -> str:
    return kelola_url("accounts:login")
