"""Demo aspirations: to demo KIMs and to regencies, in every state (diterima, diteruskan,
ditanggapi, ditutup, ditarik, merged into another, one not public, one spam, one past the
deadline).

Called by demo/seed.py after the KIMs and staff exist (`seed_aspirations()`), inside its
transaction and its no-mail block. Written through the services, as a citizen and the queue
would; idempotent (nothing is added when the first demo aspirasi exists). Returns the tracking
codes of the new aspirations by number, so the seed can print one to try /aspirasi/lacak/.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.utils import timezone

from accounts.models import User
from aspirations import services
from aspirations.models import Aspirasi
from communities.models import Community
from demo.data import demo_email
from regions.models import Regency, Village


@dataclass(frozen=True)
class DemoAspirasi:
    text: str
    topic: str
    kim: str = ""  # a demo KIM's slug, or
    regency: str = ""  # a regency code
    # (action, demo account, text): forward / answer / close / withdraw / merge / spam
    steps: tuple[tuple[str, str, str], ...] = ()
    public: bool = True
    contact: tuple[str, str, str] = ("", "", "")  # name, phone, email (private)
    days_ago: float = 1.0


ASPIRATIONS = (
    DemoAspirasi(
        kim="kim-ketabang",
        topic="lingkungan",
        text="Selokan di Jl. Jaksa Agung Suprapto gang 3 mampet sejak hujan deras minggu lalu. "
        "Air meluap ke rumah warga setiap sore. Mohon dibantu pengerukan.",
        contact=("Bu Wati", "0812-3000-1111", "wati.demo@example.id"),
        days_ago=0.5,
    ),
    DemoAspirasi(
        regency="35.78",
        topic="infrastruktur",
        text="Lampu penerangan jalan di sepanjang Jl. Genteng Kali mati sejak dua minggu. "
        "Malam hari jalan gelap dan rawan kecelakaan.",
        steps=(("forward", "diskominfo.surabaya", "Dinas Perhubungan Kota Surabaya"),),
        contact=("", "0813-4000-2222", ""),
        days_ago=3,
    ),
    DemoAspirasi(
        kim="kim-dago",
        topic="layanan_publik",
        text="Antrean pembuatan KTP elektronik di kelurahan sangat panjang; warga lansia harus "
        "menunggu berjam-jam. Apakah bisa dibuat nomor antrean daring?",
        steps=(
            ("forward", "admin.dago", "Dinas Kependudukan dan Pencatatan Sipil Kota Bandung"),
            (
                "answer",
                "admin.dago",
                "Disdukcapil menyediakan antrean daring mulai bulan depan. Lansia dan penyandang "
                "disabilitas dilayani di loket prioritas tanpa antre.",
            ),
        ),  # fmt: skip
        days_ago=6,
    ),
    DemoAspirasi(
        kim="kim-dago",
        topic="layanan_publik",
        text="Tolong sediakan antrean online untuk perekaman KTP-el, antrean di kelurahan "
        "terlalu lama.",
        steps=(("merge", "admin.dago", "#previous"),),
        days_ago=5,
    ),
    DemoAspirasi(
        regency="35.10",
        topic="pendidikan",
        text="Atap ruang kelas 4 SD di dusun kami bocor. Saat hujan murid dipindah ke teras.",
        steps=(
            (
                "answer",
                "diskominfo.banyuwangi",
                "Dinas Pendidikan sudah memasukkan perbaikan atap ke anggaran perubahan.",
            ),
            ("close", "diskominfo.banyuwangi", "Perbaikan selesai dan sudah dicek bersama komite."),
        ),  # fmt: skip
        days_ago=20,
    ),
    DemoAspirasi(
        kim="kim-kemiren",
        topic="ekonomi",
        text="Usul pelatihan pengemasan kopi untuk UMKM di desa agar bisa dijual daring.",
        steps=(("withdraw", "", ""),),
        days_ago=4,
    ),
    DemoAspirasi(
        regency="35.78",
        topic="keamanan",
        text="Ada rumah kosong di ujung gang yang sering dipakai berkumpul hingga larut malam. "
        "Warga khawatir; mohon patroli ditingkatkan.",
        public=False,
        contact=("Pak Budi", "0812-5000-3333", "budi.demo@example.id"),
        days_ago=2,
    ),
    DemoAspirasi(
        kim="kim-ketabang",
        topic="lainnya",
        text="Dapatkan pinjaman cepat tanpa agunan, hubungi nomor kami sekarang juga!!!",
        steps=(("spam", "editor.ketabang", ""),),
        days_ago=1,
    ),
    DemoAspirasi(
        regency="34.04",
        topic="bencana",
        text="Tebing di tepi Sungai Code dekat permukiman mulai longsor setelah hujan. Mohon "
        "dicek sebelum musim hujan puncak.",
        days_ago=10,  # past the deadline: the escalation beat flags it
    ),
)


def _user(local: str) -> User:
    return User.objects.get(email=demo_email(local))


def _target(spec: DemoAspirasi) -> tuple[Community | None, Regency, Village | None]:
    if spec.kim:
        community = Community.objects.select_related("regency", "village").get(slug=spec.kim)
        return community, community.regency, community.village
    regency = Regency.objects.get(pk=spec.regency)
    return None, regency, Village.objects.filter(district__regency=regency).order_by("code").first()


def seed_aspirations() -> dict[int, str]:
    if Aspirasi.objects.filter(text=ASPIRATIONS[0].text).exists():
        return {}
    made: dict[int, str] = {}
    previous: Aspirasi | None = None
    for index, spec in enumerate(ASPIRATIONS):
        community, regency, village = _target(spec)
        name, phone, email = spec.contact
        aspirasi, code = services.aspirasi_submit(
            community=community,
            regency=regency,
            data=services.Submission(
                topic=spec.topic,
                text=spec.text,
                village=village,
                is_public=spec.public,
                contact_name=name,
                contact_phone=phone,
                contact_email=email,
            ),
            address=f"10.{index}.0.1",  # one network each: the demo is not rate-limited
        )
        made[aspirasi.pk] = code
        when = timezone.now() - timedelta(days=spec.days_ago)
        Aspirasi.objects.filter(pk=aspirasi.pk).update(created_at=when, acted_at=when)
        aspirasi.refresh_from_db()
        for action, local, text in spec.steps:
            actor = _user(local) if local else None
            if action == "forward":
                services.aspirasi_forward(aspirasi=aspirasi, actor=actor, office=text)
            elif action == "answer":
                services.aspirasi_answer(aspirasi=aspirasi, actor=actor, answer=text)
            elif action == "close":
                services.aspirasi_close(aspirasi=aspirasi, actor=actor, reason=text)
            elif action == "merge":
                services.aspirasi_merge(aspirasi=aspirasi, actor=actor, into=previous)
            elif action == "spam":
                services.aspirasi_mark_spam(aspirasi=aspirasi, actor=actor)
            elif action == "withdraw":
                services.aspirasi_withdraw(code=code)
            aspirasi.refresh_from_db()
        previous = aspirasi
    return made
