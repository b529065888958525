"""Scale data for query plans and benchmarks: `seed_demo --communities 10000 --posts 1000000`.

Verified KIMs on distinct real villages spread over every province, each with a full roster, an
admin and an editor account, and posts spread over three years and every kind with a realistic mix
of statuses. Rows are written in bulk (PostgreSQL COPY; bulk_create elsewhere, which is good for
small numbers on SQLite), one transaction per batch, with explicit ids reserved from the sequences
so that posts and their photos point at each other without a second pass. On PostgreSQL two loader
processes write batches side by side (the database's work per row, the search trigger and the
indexes, is most of the time, and one connection uses one core). Model save() hooks,
services and signals are bypassed on purpose: the data describes a finished state, not a history.

What other code derives is kept consistent: a post's region columns are copied from its KIM,
`body_html` is what posts.text.render_body makes of `body` (paragraphs are rendered once and
reused), a KIM's nomor induk follows the village code. The search vector columns are left to their
database trigger. Photos are real: a handful go through the normal pipeline once, and the other
posts' Image rows point at the same rendition files (only posts on air get photos, so no file
ever has to follow a withdrawn post).

Posts are laid out as a live table holds them: ids follow the time each post was written, and on
PostgreSQL the table is rewritten in id order at the end (CLUSTER). Each KIM's posts are still
written together, in one transaction, so the parent draws every post's time first and hands each
KIM the ids of its posts' places in that one timeline.

Refuses to run twice with other numbers; the same numbers again finish an interrupted load (the
posts of a KIM are written in one transaction, so a KIM has all of its posts or none). The posts
that finish an interrupted load take new ids after every other post's.
"""

import bisect
import json
import multiprocessing
import random
import time
from array import array
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from datetime import time as clock
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, connections, models, transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from accounts.models import User
from communities.models import Community, Member, Role, VerificationEvent
from communities.validation import SLUG_MAX
from demo.data import PHOTO_SIZE
from demo.files import demo_photo
from kimportal.lib import page_cache
from kimportal.lib.hosts import RESERVED_SLUGS
from posts import images as post_images
from posts.models import Image, Post
from posts.text import render_body
from regions.models import Village

SCALE_DOMAIN = "skala.demo.kim.id"  # every scale KIM's and scale account's email ends with it
POSTS_PER_BATCH = 20_000
SOURCE_PHOTOS = 6
YEARS = 3


class ScaleError(Exception):
    """The scale data cannot be loaded as asked (regions missing, different numbers loaded)."""


@dataclass
class ScaleReport:
    communities: int = 0
    posts: int = 0
    images: int = 0
    skipped: bool = False  # everything asked for was already there
    seconds: float = 0.0


# --- Word lists ------------------------------------------------------------------------------

FIRST_NAMES = (
    "Agus",
    "Budi",
    "Dewi",
    "Siti",
    "Rina",
    "Hadi",
    "Wahyu",
    "Sri",
    "Eko",
    "Dian",
    "Yusuf",
    "Nur",
    "Fitri",
    "Ahmad",
    "Putu",
    "Made",
    "Ketut",
    "Wayan",
    "Andi",
    "Rahmat",
    "Lestari",
    "Joko",
    "Bambang",
    "Yuni",
    "Indah",
    "Arif",
    "Fajar",
    "Ratna",
    "Teguh",
    "Sari",
    "Bayu",
    "Intan",
    "Rudi",
    "Desi",
    "Hendra",
    "Wulan",
    "Iwan",
    "Maya",
    "Dedi",
    "Novi",
    "Ilham",
    "Ayu",
    "Galih",
    "Rini",
    "Taufik",
    "Nia",
    "Yohanes",
    "Maria",
    "Ismail",
    "Halimah",
    "Daeng",
    "Ucok",
    "Butet",
    "Asep",
    "Neneng",
    "Komang",
    "Gede",
    "Lukas",
    "Fransiska",
)
LAST_NAMES = (
    "Santoso",
    "Rahmawati",
    "Prasetyo",
    "Hidayat",
    "Saputra",
    "Wijaya",
    "Kusuma",
    "Lestari",
    "Nugroho",
    "Siregar",
    "Nasution",
    "Harahap",
    "Simanjuntak",
    "Pratama",
    "Utami",
    "Setiawan",
    "Gunawan",
    "Wibowo",
    "Sulistyo",
    "Hasibuan",
    "Tanjung",
    "Permana",
    "Suryani",
    "Putri",
    "Purnomo",
    "Hakim",
    "Mahendra",
    "Ramadhan",
    "Syahputra",
    "Manurung",
    "Pattimura",
    "Lumbantobing",
    "Sinaga",
    "Rangkuti",
    "Situmorang",
    "Pangaribuan",
    "Wulandari",
    "Astuti",
    "Susanto",
    "Firmansyah",
)

ACTIVITIES = (
    "Kerja bakti membersihkan saluran air", "Posyandu balita dan lansia", "Pelatihan membuat "
    "konten video", "Senam sehat bersama warga", "Penanaman seribu pohon", "Bank sampah "
    "menimbang setoran", "Musyawarah perencanaan pembangunan", "Kelas literasi digital untuk "
    "ibu rumah tangga", "Lomba kebersihan antar RT", "Vaksinasi hewan ternak", "Pemeriksaan "
    "kesehatan gratis", "Gotong royong memperbaiki jembatan", "Sosialisasi cek fakta", "Pelatihan "
    "pengemasan produk UMKM", "Simulasi tanggap bencana banjir", "Festival panen raya",
    "Pengajian dan santunan anak yatim", "Pembagian bibit cabai", "Pelatihan pembuatan pupuk "
    "kompos", "Turnamen sepak bola antar dusun", "Belajar menulis berita warga", "Bersih pantai",
    "Pelatihan jurnalistik pelajar", "Pemeriksaan jentik nyamuk",
)  # fmt: skip
PLACES = (
    "balai desa", "lapangan", "pos ronda RW 02", "halaman masjid", "aula kecamatan", "pasar desa",
    "sekolah dasar", "gedung serbaguna", "tepi sungai", "pendopo", "puskesmas pembantu",
)  # fmt: skip
AGENCIES = (
    "Diskominfo", "Dinas Kesehatan", "Dinas Pertanian", "BPBD", "Dinas Sosial", "Dinas Pendidikan",
    "Pemerintah desa", "Dinas Koperasi dan UKM", "Dinas Pariwisata", "Dinas Lingkungan Hidup",
)  # fmt: skip
PROGRAMS = (
    "bantuan pupuk bersubsidi", "program sambungan air bersih", "beasiswa pelajar berprestasi",
    "pendataan keluarga penerima bantuan", "perbaikan jalan usaha tani", "program rumah layak huni",
    "layanan adminduk keliling", "imunisasi anak sekolah", "pelatihan kerja bagi pemuda",
    "internet gratis di balai desa", "pemeriksaan tekanan darah lansia", "sertifikat halal gratis",
)  # fmt: skip
NEWS_VERBS = ("membuka", "menyalurkan", "memperpanjang", "mengumumkan", "menambah", "memulai")
PRODUCTS = (
    ("Keripik singkong pedas", 15000, "kuliner"), ("Kopi robusta", 60000, "pertanian"),
    ("Batik tulis", 350000, "fesyen"), ("Madu hutan", 90000, "peternakan"),
    ("Sambal roa", 45000, "kuliner"), ("Anyaman bambu", 75000, "kerajinan"),
    ("Gula aren cetak", 25000, "pertanian"), ("Kain tenun ikat", 450000, "fesyen"),
    ("Dodol durian", 35000, "kuliner"), ("Abon ikan tuna", 50000, "perikanan"),
    ("Kerupuk udang", 30000, "perikanan"), ("Teh daun kelor", 20000, "pertanian"),
    ("Tas rajut", 120000, "kerajinan"), ("Rendang kemasan", 85000, "kuliner"),
    ("Bawang goreng", 28000, "kuliner"),
)  # fmt: skip
POTENTIALS = (
    "Air terjun", "Kebun kopi", "Sawah terasering", "Pantai berpasir putih", "Hutan mangrove",
    "Kampung tenun", "Desa wisata budaya", "Sentra kerajinan gerabah", "Embung desa",
    "Kolam ikan nila", "Perkebunan salak", "Sumber mata air",
)  # fmt: skip
HOAX_TOPICS = (
    ("bantuan tunai Rp2 juta bisa dicairkan lewat tautan pendaftaran", "hoaks"),
    ("air PDAM akan padam seminggu penuh mulai besok", "hoaks"),
    ("vaksin untuk balita mengandung chip pelacak", "hoaks"),
    ("jembatan desa ditutup permanen karena retak", "disinformasi"),
    ("harga pupuk bersubsidi naik dua kali lipat bulan depan", "belum_terbukti"),
    ("pendaftaran BPJS gratis dibuka di kantor desa setiap Senin", "benar"),
    ("gempa besar diramalkan terjadi malam ini", "hoaks"),
    ("sekolah diliburkan sebulan karena wabah", "disinformasi"),
    ("penipuan undangan pernikahan berbentuk file APK", "benar"),
)  # fmt: skip
EVENTS = (
    "Pasar murah", "Pentas seni", "Jalan sehat", "Donor darah", "Rapat warga", "Pelatihan "
    "membatik", "Lomba masak", "Karnaval budaya", "Pameran produk UMKM", "Sunatan massal",
)  # fmt: skip
TAGS = (
    "kerja bakti", "lingkungan", "kesehatan", "posyandu", "umkm", "kuliner", "literasi digital",
    "cek fakta", "pertanian", "perikanan", "pariwisata", "budaya", "pendidikan", "kebencanaan",
    "air bersih", "lansia", "pemuda", "anak", "bantuan sosial", "jalan desa", "internet",
    "olahraga", "seni", "tradisi", "kopi", "tenun", "banjir", "sampah", "pasar", "wisata",
)  # fmt: skip
SENTENCES = (
    "Kegiatan ini diikuti warga dari semua RT dan berjalan tertib sejak pagi.",
    "Ketua KIM mengajak warga ikut menyebarkan informasi yang benar kepada tetangga.",
    "Perangkat desa hadir dan mencatat usulan warga untuk musyawarah berikutnya.",
    "Warga yang belum sempat hadir dapat bertanya langsung ke sekretariat KIM.",
    "Informasi lengkap dibagikan juga lewat grup WhatsApp warga dan papan pengumuman.",
    "Para pemuda membantu menyiapkan tempat, pengeras suara, dan dokumentasi.",
    "Ibu-ibu PKK menyiapkan konsumsi dari hasil kebun warga sendiri.",
    "Petugas puskesmas memberi penjelasan singkat dan menjawab pertanyaan warga.",
    "Kegiatan serupa direncanakan setiap bulan dengan tempat yang bergiliran.",
    "Warga diminta selalu memeriksa sumber sebelum membagikan pesan berantai.",
    "Hasil panen tahun ini lebih baik berkat irigasi yang sudah diperbaiki.",
    "Pengunjung dari luar daerah mulai berdatangan pada akhir pekan.",
    "Produk warga kini dijual juga lewat toko daring dan pesan antar.",
    "Anak-anak sekolah ikut belajar membuat foto dan video yang baik.",
    "Pemerintah kecamatan mendukung kegiatan ini dengan bantuan peralatan.",
    "Sampah plastik yang terkumpul ditimbang lalu dijual ke pengepul.",
    "Jalan menuju lokasi sudah bisa dilalui kendaraan roda empat.",
    "Warga lanjut usia mendapat tempat duduk di barisan depan.",
    "Acara ditutup dengan doa bersama dan foto bersama peserta.",
    "Relawan KIM mendata warga yang membutuhkan pendampingan.",
    "Kelompok tani berbagi pengalaman mengatasi hama wereng.",
    "Nelayan setempat menjelaskan cara menjaga kebersihan pantai.",
    "Pendaftaran dibuka sampai akhir bulan di kantor desa.",
    "Diskominfo kabupaten memberi materi tentang keamanan data pribadi.",
)
KIND_WEIGHTS = (
    (Post.Kind.KEGIATAN, 30), (Post.Kind.BERITA, 25), (Post.Kind.POTENSI, 12),
    (Post.Kind.UMKM, 15), (Post.Kind.HOAKS, 8), (Post.Kind.AGENDA, 10),
)  # fmt: skip
# Mostly published; some drafts, posts waiting in the queue, rejected and taken down.
STATUS_WEIGHTS = (
    (Post.Status.PUBLISHED, 880), (Post.Status.DRAFT, 40), (Post.Status.SUBMITTED, 40),
    (Post.Status.REJECTED, 15), (Post.Status.TAKEN_DOWN, 20), (Post.Status.SCHEDULED, 5),
)  # fmt: skip
_Planned = tuple[float, str]  # a post's age in seconds (since it was begun) and its status
_QUEUED = (Post.Status.SUBMITTED, Post.Status.REJECTED, Post.Status.SCHEDULED)
COLOURS = ("#0a5ca8", "#0b6e4f", "#8a3b12", "#6b2c91", "#b3261e", "#1d5c63", "#7a5900", "#334155")
SECTORS = ("pertanian", "perikanan", "umkm", "pariwisata", "budaya", "kesehatan", "pendidikan",
           "kebencanaan", "lingkungan", "literasi_digital")  # fmt: skip
POSITIONS = (
    (Member.Position.KETUA, ""), (Member.Position.SEKRETARIS, ""),
    (Member.Position.BENDAHARA, ""), (Member.Position.SEKSI, "Seksi Humas dan Media"),
    (Member.Position.SEKSI, "Seksi Literasi Digital"), (Member.Position.SEKSI, "Seksi Ekonomi"),
)  # fmt: skip


# --- Bulk writing ----------------------------------------------------------------------------


class _Table:
    """Writes rows of one model given as dicts of attnames; absent fields take their default.

    PostgreSQL: COPY. Elsewhere: bulk_create (no save(), no signals either way). Columns a
    database trigger fills (the search vectors) and generated columns are never written.
    """

    def __init__(self, model: type[models.Model]) -> None:
        self.model = model
        self.fields = [
            f
            for f in model._meta.concrete_fields
            if not f.generated
            and type(f).__name__ != "SearchVectorField"
            and not f.name.endswith("search_vector")
        ]
        self.defaults = {}
        for f in self.fields:
            if f.has_default():
                self.defaults[f.attname] = f.default  # a callable is called per row (dict, now)
            elif getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                self.defaults[f.attname] = timezone.now
            elif f.null:
                self.defaults[f.attname] = None
            elif f.empty_strings_allowed:
                self.defaults[f.attname] = ""

    def _value(self, row: dict, field: models.Field):
        if field.attname in row:
            return row[field.attname]
        default = self.defaults.get(field.attname)
        return default() if callable(default) else default

    def write(self, rows: list[dict]) -> int:
        """Write the rows (all with an explicit primary key, or none with one)."""
        if not rows:
            return 0
        pk = self.model._meta.pk.attname
        fields = [f for f in self.fields if f.attname != pk or pk in rows[0]]
        if connection.vendor != "postgresql":
            objects = [self.model(**{f.attname: self._value(r, f) for f in fields}) for r in rows]
            self.model.objects.bulk_create(objects, batch_size=500)
            return len(objects)
        json_at = [i for i, f in enumerate(fields) if isinstance(f, models.JSONField)]
        columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
        table = connection.ops.quote_name(self.model._meta.db_table)
        with (
            connection.cursor() as cursor,
            cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy,
        ):
            for row in rows:
                values = [self._value(row, f) for f in fields]
                for i in json_at:
                    values[i] = json.dumps(values[i])
                copy.write_row(values)
        return len(rows)


def _reserve_ids(model: type[models.Model], count: int) -> list[int]:
    """Reserve `count` primary keys from the table's sequence (unique even when two loaders
    run at once; on SQLite, where one loader runs, the next free ones)."""
    if count <= 0:
        return []
    table = model._meta.db_table
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                [table, count],
            )
            return [row[0] for row in cursor.fetchall()]
    first = (model.objects.aggregate(m=models.Max("pk"))["m"] or 0) + 1
    return list(range(first, first + count))


def _reserve_block(model: type[models.Model], count: int) -> int:
    """Reserve `count` consecutive primary keys and return the first. Only while no loader runs:
    the two steps on the sequence are not one."""
    table = model._meta.db_table
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, 'id'))", [table])
            (first,) = cursor.fetchone()
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence(%s, 'id'), %s)", [table, first + count - 1]
            )
            return first
    return (model.objects.aggregate(m=models.Max("pk"))["m"] or 0) + 1


def _fast_session() -> None:
    """Bulk loading needs no durable commit per batch: a crash loses at most the last batches,
    which the next run writes again (a KIM has all of its posts or none)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET synchronous_commit = off")


# --- Communities -----------------------------------------------------------------------------


@dataclass
class _Kim:
    pk: int
    slug: str
    name: str
    village: str
    regency: str
    province: str
    regency_name: str
    verified_at: datetime
    authors: tuple[int, int]  # admin, editor


def _pick_villages(count: int, rng: random.Random) -> list[tuple[str, str, str, str]]:
    """Distinct villages without a KIM, spread over every province and every regency in turn.

    Returns (code, name, district code, regency name) tuples."""
    taken = set(Community.objects.exclude(village=None).values_list("village_id", flat=True))
    rows = Village.objects.values_list("code", "name", "district_id", "district__regency__name")
    by_province: dict[str, dict[str, list]] = {}
    for row in rows.iterator(chunk_size=10_000):
        if row[0] not in taken:
            by_province.setdefault(row[0][:2], {}).setdefault(row[0][:5], []).append(row)
    if sum(len(v) for regencies in by_province.values() for v in regencies.values()) < count:
        raise ScaleError(
            _("Desa/kelurahan tanpa KIM tidak cukup untuk %(count)d KIM.") % {"count": count}
        )
    queues = []
    for province in sorted(by_province):
        regencies = [by_province[province][r] for r in sorted(by_province[province])]
        for villages in regencies:
            rng.shuffle(villages)
        queues.append(regencies)
    picked: list[tuple[str, str, str, str]] = []
    turn = 0
    while len(picked) < count:  # one village per province per round, its regencies in turn
        for regencies in queues:
            regencies_left = [r for r in regencies if r]
            if not regencies_left or len(picked) == count:
                continue
            picked.append(regencies_left[turn % len(regencies_left)].pop())
        turn += 1
    return picked


def _slug_for(name: str, used: set[str]) -> str:
    base = ("kim-" + slugify(name))[: SLUG_MAX - 4].strip("-")
    slug, n = base, 1
    while slug in used or slug in RESERVED_SLUGS or len(slug) < 3:
        n += 1
        slug = f"{base}-{n}"
    used.add(slug)
    return slug


def _person(rng: random.Random) -> str:
    return f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"


def _phone(rng: random.Random) -> str:
    return f"08{rng.randint(11, 59)}-{rng.randint(1000, 9999)}-{rng.randint(1000, 9999)}"


def _seed_communities(
    count: int, rng: random.Random, out: Callable[[str], None], *, password: str
) -> None:
    now = timezone.now()
    villages = _pick_villages(count, rng)
    used = set(Community.objects.exclude(slug=None).values_list("slug", flat=True))
    password = make_password(password)  # one hash for every account: hashing 20,000 is slow
    kim_pks = _reserve_ids(Community, count)
    user_pks = _reserve_ids(User, 2 * count)
    kims, users, members, roles, events = [], [], [], [], []
    min_members = max(getattr(settings, "KIM_MIN_MEMBERS", 10), len(POSITIONS))
    for i, (code, village_name, district, regency_name) in enumerate(villages):
        pk = kim_pks[i]
        name = f"KIM {village_name}"
        slug = _slug_for(village_name, used)
        age_days = rng.randint(30, int(365 * (YEARS + 0.3)))
        verified_at = now - timedelta(days=age_days, minutes=rng.randint(0, 1440))
        admin_pk, editor_pk = user_pks[2 * i], user_pks[2 * i + 1]
        kims.append(
            {
                "id": pk,
                "kind": Community.Kind.KIM,
                "name": name,
                "slug": slug,
                "status": Community.Status.VERIFIED,
                "nomor_induk": code.replace(".", "") + "01",
                "village_id": code,
                "district_id": district,
                "regency_id": code[:5],
                "province_id": code[:2],
                "street_address": f"Balai Desa {village_name}, RT 0{rng.randint(1, 9)}",
                "tagline": f"Kabar warga {village_name}, dari warga untuk warga",
                "about": (
                    f"{name} adalah kelompok informasi masyarakat di {village_name}, "
                    f"{regency_name}. Kami mengabarkan kegiatan warga, program pemerintah, "
                    "potensi desa, dan meluruskan kabar bohong yang beredar."
                ),
                "vision": "Warga yang melek informasi, guyub, dan bebas hoaks.",
                "mission": "Menyebarkan informasi publik yang benar.\nMenampung aspirasi warga.",
                "focus_sectors": rng.sample(SECTORS, 3),
                "brand_colour": rng.choice(COLOURS),
                "whatsapp": _phone(rng),
                "email": f"{slug}@{SCALE_DOMAIN}",
                "sk_number": f"140/{rng.randint(1, 99):02d}/{code[:5]}/{verified_at.year}",
                "sk_date": (verified_at - timedelta(days=40)).date(),
                "is_trusted": rng.random() < 0.1,
                "applicant_id": admin_pk,
                "created_at": verified_at - timedelta(days=10),
                "updated_at": verified_at,
                "submitted_at": verified_at - timedelta(days=4),
                "verified_at": verified_at,
            }
        )
        names = [_person(rng) for _ in range(min_members)]
        for pk_user, full_name, role in (
            (admin_pk, names[0], Role.Kind.ADMIN),
            (editor_pk, names[1], Role.Kind.EDITOR),
        ):
            local = "admin" if role == Role.Kind.ADMIN else "editor"
            users.append(
                {
                    "id": pk_user,
                    "email": f"{local}.{slug}@{SCALE_DOMAIN}",
                    "full_name": full_name,
                    "password": password,
                    "date_joined": verified_at - timedelta(days=10),
                }
            )
            roles.append(
                {"community_id": pk, "user_id": pk_user, "role": role, "created_at": verified_at}
            )
        for n, member_name in enumerate(names):
            position, detail = POSITIONS[n] if n < len(POSITIONS) else (Member.Position.ANGGOTA, "")
            members.append(
                {
                    "community_id": pk,
                    "name": member_name,
                    "position": position,
                    "position_detail": detail,
                    "phone": _phone(rng),
                    "user_id": admin_pk if n == 0 else editor_pk if n == 1 else None,
                    "sort_order": n,
                }
            )
        for action, moment in (
            (VerificationEvent.Action.SUBMITTED, verified_at - timedelta(days=4)),
            (VerificationEvent.Action.VERIFIED, verified_at),
        ):
            events.append({"community_id": pk, "action": action, "created_at": moment})
    with transaction.atomic():
        _fast_session()
        _Table(User).write(users)
        _Table(Community).write(kims)
        _Table(Member).write(members)
        _Table(Role).write(roles)
        _Table(VerificationEvent).write(events)
    out(
        _("KIM: %(kims)d dibuat (%(users)d akun, %(members)d anggota)")
        % {"kims": count, "users": len(users), "members": len(members)}
    )


def _scale_kims() -> list[_Kim]:
    rows = (
        Community.objects.filter(email__endswith="@" + SCALE_DOMAIN)
        .order_by("pk")
        .values_list(
            "pk", "slug", "name", "village_id", "regency_id", "province_id", "regency__name",
            "verified_at", "applicant_id",
        )
    )  # fmt: skip
    editors = dict(
        Role.objects.filter(
            community__email__endswith="@" + SCALE_DOMAIN, role=Role.Kind.EDITOR
        ).values_list("community_id", "user_id")
    )
    return [_Kim(*row[:8], authors=(row[8], editors.get(row[0], row[8]))) for row in rows]


# --- Posts -----------------------------------------------------------------------------------


class _Paragraphs:
    """Body paragraphs: a pool rendered once by posts.text.render_body and reused, plus the
    first paragraph of each post, which is plain prose that renders to exactly <p>text</p>."""

    def __init__(self, rng: random.Random, size: int = 400) -> None:
        self.pool = []
        for _n in range(size):
            text = " ".join(rng.sample(SENTENCES, 3))
            self.pool.append((text, render_body(text)))

    @staticmethod
    def html(text: str) -> str:
        return f"<p>{text}</p>\n"


def _weighted(pairs) -> tuple[list, list[int]]:
    values = [v for v, _w in pairs]
    total, cumulative = 0, []
    for _v, weight in pairs:
        total += weight
        cumulative.append(total)
    return values, cumulative


def _post_counts(kims: list[_Kim], total: int, rng: random.Random) -> list[int]:
    """Skewed: a few KIMs write a lot, most write a little; sums to `total`."""
    weights = [min(rng.paretovariate(1.3), 60.0) for _ in kims]
    scale = total / sum(weights)
    counts = [int(w * scale) for w in weights]
    order = sorted(range(len(kims)), key=lambda i: -weights[i])
    for i in range(total - sum(counts)):
        counts[order[i % len(order)]] += 1
    return counts


class _PostMaker:
    def __init__(self, rng: random.Random, sources: list[Image]) -> None:
        self.rng = rng
        self.now = timezone.now()
        self.paragraphs = _Paragraphs(rng)
        self.kinds = _weighted(KIND_WEIGHTS)
        self.sources = sources

    def _title(self, kind: str, village: str, regency: str) -> tuple[str, str, dict]:
        rng = self.rng
        extra: dict = {}
        if kind == Post.Kind.KEGIATAN:
            title = f"{rng.choice(ACTIVITIES)} di {rng.choice(PLACES)} {village}"
            lead = f"Warga {village} mengadakan kegiatan bersama di {rng.choice(PLACES)}."
        elif kind == Post.Kind.BERITA:
            program = rng.choice(PROGRAMS)
            title = f"{rng.choice(AGENCIES)} {regency} {rng.choice(NEWS_VERBS)} {program}"
            lead = f"Kabar penting untuk warga {village} tentang {program}."
        elif kind == Post.Kind.POTENSI:
            title = f"{rng.choice(POTENTIALS)} {village}, potensi desa yang mulai dikenal"
            lead = f"Desa {village} di {regency} punya potensi yang layak dikunjungi."
        elif kind == Post.Kind.UMKM:
            product, price, category = rng.choice(PRODUCTS)
            title = f"{product} buatan warga {village}"
            lead = f"{product} ini dibuat oleh {_person(rng)}, pelaku UMKM dari {village}."
            extra = {
                "price": Decimal(price + 1000 * rng.randint(0, 10)),
                "order_whatsapp": _phone(rng),
                "umkm_category": category,
            }
        elif kind == Post.Kind.HOAKS:
            topic, verdict = rng.choice(HOAX_TOPICS)
            label = Post.Verdict(verdict).label
            title = f"Klarifikasi: {topic} di {regency}"
            lead = f"Beredar pesan berantai di grup warga {village} yang mengatakan {topic}."
            extra = {
                "claim": f"Pesan berantai: {topic}. Sebarkan ke semua grup!",
                "verdict": verdict,
                "sources": f"Keterangan Diskominfo {regency}\n"
                "https://www.komdigi.go.id/berita/pengumuman\n"
                f"https://turnbackhoax.id/cek/{slugify(topic)[:60]}",
            }
            lead += f" Hasil pemeriksaan KIM: {label}."
        else:
            event = rng.choice(EVENTS)
            title = f"{event} {village} akhir pekan ini"
            lead = f"{event} akan digelar di {rng.choice(PLACES)} {village}, {regency}."
            extra = {
                "event_time": clock(rng.choice((7, 8, 9, 13, 15, 19)), rng.choice((0, 30))),
                "event_place": f"{rng.choice(PLACES).capitalize()} {village}",
            }
        return title[:150], lead, extra

    def posts(
        self, kim: _Kim, plan: list[_Planned], post_pks: Iterator[int], image_pks: Iterator[int]
    ) -> tuple[list[dict], list[dict]]:
        """The rows of a KIM's posts, one per (age, status) of its plan (see _timeline)."""
        rng, now = self.rng, self.now
        village = kim.name.removeprefix("KIM ")
        posts, images, slugs = [], [], set()
        for age, status in plan:
            kind = self.kinds[0][_bisect(self.kinds[1], rng)]
            title, lead, extra = self._title(kind, village, kim.regency_name)
            base = slug = slugify(title)[:150].strip("-") or "tulisan"
            while slug in slugs:
                slug = f"{base}-{len(slugs) + 2}"
            slugs.add(slug)
            created = now - timedelta(seconds=age)
            moment = created + timedelta(hours=2)  # published (or last edited) 2 h later
            pool = rng.sample(self.paragraphs.pool, 2)
            body = "\n\n".join([lead, *(text for text, _html in pool)])
            body_html = self.paragraphs.html(lead) + "".join(html for _t, html in pool)
            row = {
                "id": next(post_pks),
                "community_id": kim.pk,
                "regency_id": kim.regency,
                "province_id": kim.province,
                "author_id": kim.authors[rng.random() < 0.4],
                "kind": kind,
                "title": title,
                "slug": slug,
                "summary": lead[:300],
                "body": body,
                "body_html": body_html,
                "tags": rng.sample(TAGS, rng.randint(1, 3)),
                "status": status,
                "created_at": created,
                "updated_at": moment,
                **extra,
            }
            if kind == Post.Kind.AGENDA:
                row["event_date"] = (moment + timedelta(days=rng.randint(2, 12))).date()
            if status in (Post.Status.PUBLISHED, Post.Status.TAKEN_DOWN):
                row["published_at"] = moment
                row["submitted_at"] = moment - timedelta(minutes=rng.randint(5, 110))
                row["checks_done"] = True
            elif status == Post.Status.SCHEDULED:
                row["publish_at"] = now + timedelta(days=rng.randint(1, 14))
                row.update(submitted_at=created, updated_at=created, checks_done=True)
            elif status in (Post.Status.SUBMITTED, Post.Status.REJECTED):
                row.update(submitted_at=created, updated_at=created)
                row["checks_done"] = status == Post.Status.REJECTED or rng.random() < 0.8
            if status == Post.Status.TAKEN_DOWN:
                row["decision_reason"] = "Foto memuat data pribadi warga tanpa izin."
            elif status == Post.Status.REJECTED:
                row["decision_reason"] = "Sumber informasi belum jelas; lengkapi dulu."
            # Photos only on posts on air: their files are public and never have to move.
            on_air = status in (Post.Status.PUBLISHED, Post.Status.SCHEDULED)
            if self.sources and on_air and rng.random() < 0.45:
                for order in range(1 if rng.random() < 0.7 else 2):
                    source = rng.choice(self.sources)
                    image_pk = next(image_pks)
                    if order == 0:
                        row["cover_id"] = image_pk
                    images.append(
                        {
                            "id": image_pk,
                            "community_id": kim.pk,
                            "post_id": row["id"],
                            "original": source.original.name,
                            "status": Image.Status.READY,
                            "attempts": 1,
                            "width": source.width,
                            "height": source.height,
                            "placeholder": source.placeholder,
                            "renditions": source.renditions,
                            "caption": f"{title[:150]} ({village})",
                            "alt_text": source.alt_text,
                            "sort_order": order,
                            "created_at": moment,
                            "updated_at": moment,
                        }
                    )
            posts.append(row)
        return posts, images


def _timeline(
    kims: list[_Kim], counts: list[int], now: datetime, seed: int, first_id: int | None
) -> list[tuple[list[_Planned], list[int] | None]]:
    """Per KIM, the age and status of each of its `count` posts, oldest first, and their ids:
    one timeline of every KIM's posts numbered from `first_id`, oldest first (None without it).

    Newer posts are more frequent; a KIM writes only after it was verified; what waits in a
    queue is recent (older, it would have been escalated long ago). Each KIM draws from its own
    generator: its posts do not depend on which other KIMs this run loads."""
    statuses, weights = _weighted(STATUS_WEIGHTS)
    plans = []
    for kim, count in zip(kims, counts, strict=True):
        rng = random.Random(f"{seed}-time-{kim.pk}")  # noqa: S311 - demo data
        span = max((now - kim.verified_at).total_seconds(), 3600.0)
        plan = []
        for _n in range(count):
            status = statuses[_bisect(weights, rng)]
            if status in _QUEUED:
                age = 3600.0 * rng.randint(1, 48 if status == Post.Status.SCHEDULED else 40)
            else:  # begun two hours before it went on air (or was last edited)
                age = span * rng.random() ** 1.6 + 60 + 7200
            plan.append((age, status))
        plans.append(sorted(plan, reverse=True))
    if first_id is None:
        return [(plan, None) for plan in plans]
    ages = array("d", (age for plan in plans for age, _status in plan))
    ids = array("q", bytes(8 * len(ages)))
    for rank, index in enumerate(sorted(range(len(ages)), key=ages.__getitem__, reverse=True)):
        ids[index] = first_id + rank
    timeline, start = [], 0
    for plan in plans:
        timeline.append((plan, ids[start : start + len(plan)].tolist()))
        start += len(plan)
    return timeline


def _bisect(cumulative: list[int], rng: random.Random) -> int:
    return bisect.bisect_right(cumulative, rng.random() * cumulative[-1])


SOURCE_CAPTIONS = (
    ("Warga bergotong royong di tepi sawah", "Warga bekerja bersama di pematang sawah"),
    ("Suasana desa pada pagi hari", "Rumah-rumah warga dengan bukit di belakangnya"),
    ("Pantai yang dijaga kelompok nelayan", "Pantai, laut dan rumah nelayan"),
    ("Kebun warga menjelang panen", "Petak sawah hijau dan kuning menjelang panen"),
    ("Balai desa tempat kegiatan KIM", "Balai desa dengan pohon di halamannya"),
    ("Pemandangan dari bukit desa", "Bukit hijau dan langit senja di atas desa"),
)


def _source_photos(kim: _Kim, rng: random.Random) -> list[Image]:
    """The handful of real photos, through the normal upload and rendition pipeline, each on a
    published post of the first scale KIM (these posts count among the scale posts)."""
    existing = list(
        Image.objects.filter(community_id=kim.pk, status=Image.Status.READY).order_by("pk")[
            :SOURCE_PHOTOS
        ]
    )
    if existing:
        return existing
    sources = []
    now = timezone.now()
    for n, (caption, alt) in enumerate(SOURCE_CAPTIONS[:SOURCE_PHOTOS]):
        title = f"Galeri {kim.name}: {caption.lower()}"
        body = f"Foto kegiatan dan suasana {kim.name.removeprefix('KIM ')}.\n\n{caption}."
        post = Post.objects.create(
            community_id=kim.pk,
            regency_id=kim.regency,
            province_id=kim.province,
            author_id=kim.authors[0],
            kind=Post.Kind.KEGIATAN,
            title=title,
            slug=slugify(title)[:150],
            summary=caption,
            body=body,
            body_html=render_body(body),
            tags=["galeri"],
            status=Post.Status.PUBLISHED,
            published_at=now - timedelta(days=n + 1),
            submitted_at=now - timedelta(days=n + 1, hours=2),
            checks_done=True,
        )
        width, height = PHOTO_SIZE
        image = post_images.image_add(
            post=post,
            file=SimpleUploadedFile(
                f"galeri-{n + 1}.jpg",
                demo_photo(width, height, seed=9000 + n + rng.randint(0, 3) * 100),
                content_type="image/jpeg",
            ),
            caption=caption,
            alt_text=alt,
        )
        post_images.image_process(image_id=image.pk)
        image.refresh_from_db()
        Post.objects.filter(pk=post.pk).update(cover=image)
        sources.append(image)
    return sources


# --- Batches of posts ---------------------------------------------------------------------------

LOADERS = 2  # PostgreSQL: one loader process per core; the database does most of the work
_maker: "_PostMaker | None" = None  # the loaders' copy (inherited through fork)


_Batch = list[tuple[_Kim, list[_Planned], list[int] | None]]  # KIM, its posts' plan, ids


def _write_batch(batch: _Batch, seed: int) -> tuple[int, int]:
    """Write the posts of a few KIMs in one transaction; returns (posts, photos) written.
    Posts without ids from the timeline take new ones from the sequence."""
    maker = _maker
    # Each batch draws from its own generator: the data does not depend on which loader wrote it.
    maker.rng = random.Random(f"{seed}-{batch[0][0].pk}")  # noqa: S311 - demo data
    size = sum(len(ages) for _k, ages, _ids in batch)
    with transaction.atomic():
        _fast_session()
        new_pks = iter(_reserve_ids(Post, sum(len(a) for _k, a, ids in batch if ids is None)))
        # At most two photos per post: reserve that many; gaps in the ids cost nothing.
        image_pks = iter(_reserve_ids(Image, 2 * size) if maker.sources else [])
        batch_posts, batch_images = [], []
        for kim, plan, ids in batch:
            post_pks = new_pks if ids is None else iter(ids)
            rows, images = maker.posts(kim, plan, post_pks, image_pks)
            batch_posts += rows
            batch_images += images
        _Table(Post).write(batch_posts)
        _Table(Image).write(batch_images)
    return size, len(batch_images)


def _loader(args: tuple[_Batch, int]) -> tuple[int, int]:
    return _write_batch(*args)


def _run_batches(maker: "_PostMaker", batches: list, *, seed: int) -> Iterator[tuple[int, int]]:
    """Write the batches, on PostgreSQL in LOADERS processes (each its own connection and
    transactions), elsewhere here; yields (posts, photos) per batch as they finish."""
    global _maker
    _maker = maker
    # Not inside a transaction (a test's): the loaders could not see its rows.
    parallel = (
        connection.vendor == "postgresql"
        and not connection.in_atomic_block
        and LOADERS > 1
        and len(batches) > 1
    )
    if not parallel or "fork" not in multiprocessing.get_all_start_methods():
        for batch in batches:
            yield _write_batch(batch, seed)
        return
    # Children must not share the parent's connection: close it, each opens its own.
    connections.close_all()
    with multiprocessing.get_context("fork").Pool(LOADERS) as pool:
        yield from pool.imap_unordered(_loader, [(batch, seed) for batch in batches])


# --- Entry point -----------------------------------------------------------------------------


def _cluster(model: type[models.Model]) -> None:
    """Rewrite the table in primary-key order (PostgreSQL), the order in which a live table
    holds rows that are only appended: the loaders wrote theirs KIM by KIM, and a page of the
    newest posts of all KIMs would otherwise read one table page per post."""
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexrelid::regclass::text FROM pg_index "
            "WHERE indrelid = %s::regclass AND indisprimary",
            [table],
        )
        (index,) = cursor.fetchone()
        cursor.execute(f"CLUSTER {connection.ops.quote_name(table)} USING {index}")


def _vacuum(models_: tuple[type[models.Model], ...]) -> None:
    """VACUUM (ANALYZE) the tables just filled, as after any bulk load (ANALYZE alone inside a
    transaction, where VACUUM cannot run: the seeder's own tests).

    Autovacuum would get there eventually, but not before a benchmark, and never where it is off
    (this project's CI machines turn it off). Unvacuumed, the GIN indexes of search answer from
    their pending lists (thousands of unsorted entries read on every query: a KIM name search
    took 8-35 ms instead of 1-5) and index-only scans visit the heap for want of a visibility map.
    """
    command = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"
    with connection.cursor() as cursor:
        for model in models_:
            cursor.execute(f"{command} {connection.ops.quote_name(model._meta.db_table)}")


def seed_scale(
    *,
    communities: int,
    posts: int,
    password: str,
    out: Callable[[str], None] = print,
    seed: int = 8,
) -> ScaleReport:
    """Load `communities` scale KIMs and `posts` posts among them (see the module docstring).

    Scale accounts get `password` (one hash shared by all)."""
    started = time.monotonic()
    if communities < 1 or posts < 0:
        raise ScaleError(_("Jumlah KIM minimal 1 dan jumlah tulisan tidak boleh negatif."))
    if not Village.objects.exists():
        raise ScaleError(
            _("Data wilayah belum dimuat. Jalankan dulu: python manage.py load_regions")
        )
    rng = random.Random(seed)  # noqa: S311 - demo data, not secrets
    report = ScaleReport()
    kims = _scale_kims()
    if kims and len(kims) != communities:
        raise ScaleError(
            _(
                "Database ini sudah berisi data skala dengan %(kims)d KIM; gunakan database baru "
                "(atau jumlah yang sama untuk melanjutkan pemuatan yang terputus)."
            )
            % {"kims": len(kims)}
        )
    if not kims:
        _seed_communities(communities, rng, out, password=password)
        kims = _scale_kims()
    report.communities = len(kims)
    written = dict(
        Post.objects.filter(community__in=[k.pk for k in kims])
        .order_by()
        .values("community_id")
        .annotate(n=Count("pk"))
        .values_list("community_id", "n")
    )
    already = sum(written.values())
    if already == posts:
        report.posts, report.skipped = posts, True
        out(
            _("Data skala sudah lengkap: %(kims)d KIM, %(posts)d tulisan; tidak ada yang diubah.")
            % {"kims": len(kims), "posts": posts}
        )
        return report
    if already > posts:
        raise ScaleError(
            _(
                "Database ini sudah berisi %(already)d tulisan skala, lebih dari %(posts)d; "
                "gunakan database baru."
            )
            % {"already": already, "posts": posts}
        )
    counts = _post_counts(kims, posts, random.Random(seed + 1))  # noqa: S311
    # The busiest KIM shows the real photos; the other posts reuse their files.
    busiest = max(range(len(kims)), key=counts.__getitem__)
    sources: list[Image] = []
    if counts[busiest] >= SOURCE_PHOTOS:
        with transaction.atomic():
            sources = _source_photos(kims[busiest], rng)
        written.setdefault(kims[busiest].pk, 0)
        written[kims[busiest].pk] = max(written[kims[busiest].pk], len(sources))
    maker = _PostMaker(random.Random(seed + 2), sources)  # noqa: S311
    # A KIM's posts are written in one transaction: it has all of them or none (or, for the
    # busiest, only its photo posts).
    todo = [
        (kim, count - written.get(kim.pk, 0))
        for kim, count in zip(kims, counts, strict=True)
        if count > written.get(kim.pk, 0)
        and (written.get(kim.pk, 0) == 0 or kim.pk == kims[busiest].pk)
    ]
    done = sum(written.values())
    # A first load numbers its posts in time order; finishing an interrupted one takes new ids.
    size = sum(count for _kim, count in todo)
    first_id = _reserve_block(Post, size) if done == len(sources) and size else None
    timeline = _timeline(
        [kim for kim, _c in todo], [c for _k, c in todo], maker.now, seed, first_id
    )
    # Small loads in small batches too, so that they also run on both loaders.
    batch_size = min(POSTS_PER_BATCH, max(500, posts // 20))
    batches: list[_Batch] = [[]]
    for (kim, _count), (plan, ids) in zip(todo, timeline, strict=True):
        if sum(len(p) for _k, p, _i in batches[-1]) >= batch_size:
            batches.append([])
        batches[-1].append((kim, plan, ids))
    for size, images in _run_batches(maker, [b for b in batches if b], seed=seed):
        done += size
        report.images += images
        out(
            _("tulisan: %(done)d/%(posts)d (%(percent)d%%), %(seconds).0f s")
            % {
                "done": done,
                "posts": posts,
                "percent": 100 * done // max(posts, 1),
                "seconds": time.monotonic() - started,
            }
        )
    report.posts = done
    if connection.vendor == "postgresql":
        if not connection.in_atomic_block:  # as VACUUM: the seeder's own tests run in one
            _cluster(Post)
        _vacuum((Village, User, Community, Member, Role, Post, Image))
    # Every page that lists these KIMs or their posts is out of date.
    scopes = {page_cache.NATIONAL}
    for kim in kims:
        scopes.update(
            page_cache.scopes_of(
                community_id=kim.pk, province_id=kim.province, regency_id=kim.regency
            )
        )
    page_cache.bump(*sorted(scopes))
    report.seconds = time.monotonic() - started
    return report
