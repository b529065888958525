"""The demo's content: KIMs on real village codes, their people, Diskominfo staff and posts.

Plain data only; demo/seed.py writes it through the services a real sign-up uses.
"""

from dataclasses import dataclass, field
from datetime import time

from communities.models import Member, Role

DEMO_DOMAIN = "demo.kim.id"

P = Member.Position


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


def demo_email(local: str) -> str:
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


# --- Posts -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DemoPhoto:
    caption: str
    alt: str
    portrait: bool = False


@dataclass(frozen=True)
class DemoPost:
    kim: str  # slug of the demo KIM
    author: str  # local part of the writer's demo account
    kind: str
    title: str
    summary: str
    body: str
    photos: tuple[DemoPhoto, ...] = ()
    tags: tuple[str, ...] = ()
    days_ago: float = 1.0
    # "published" (approved by the regency admin, or at once where the KIM is trusted),
    # "submitted" (waits in the regency's queue) or "rejected" (with `reject_reason`).
    outcome: str = "published"
    reject_reason: str = ""
    price: int | None = None
    order_whatsapp: str = ""
    umkm_category: str = ""
    claim: str = ""
    verdict: str = ""
    sources: str = ""
    event_in_days: int | None = None
    event_time: time | None = None
    event_place: str = ""


# Editors of a trusted KIM publish without pre-moderation; the national admin grants it.
TRUSTED_KIMS = ("kim-kemiren",)
# Demo photos: big enough for every rendition a phone or a link preview asks for, small enough to
# keep the seeding quick.
PHOTO_SIZE = (1600, 1200)

POSTS: tuple[DemoPost, ...] = (
    DemoPost(
        kim="kim-ketabang",
        author="editor.ketabang",
        kind="kegiatan",
        title="Kerja bakti bersihkan saluran RW 03 jelang musim hujan",
        summary="Enam puluh warga RW 03 mengangkat lumpur dan sampah dari saluran sepanjang "
        "400 meter agar kampung tidak tergenang saat hujan pertama.",
        body=(
            "Minggu pagi, sejak pukul 06.00, warga RW 03 Kelurahan Ketabang turun ke saluran di "
            "sepanjang Jalan Jaksa Agung Suprapto. Bapak-bapak mengangkat lumpur, ibu-ibu "
            "menyiapkan sarapan, dan pemuda karang taruna mengangkut sampah ke TPS.\n\n"
            "Menurut Ketua RW, saluran ini terakhir dikeruk dua tahun lalu. **Hasilnya, empat "
            "truk sampah dan lumpur terangkut.** Kelurahan meminjamkan gerobak dan sepatu bot.\n\n"
            "Kerja bakti berikutnya dijadwalkan bulan depan di RW 05. Warga yang ingin ikut "
            "dapat menghubungi pengurus RT masing-masing."
        ),
        photos=(
            DemoPhoto("Warga mengangkat lumpur dari saluran.", "Warga berdiri di saluran"),
            DemoPhoto("Sampah dimuat ke gerobak kelurahan.", "Gerobak penuh karung sampah"),
            DemoPhoto("Ibu-ibu PKK menyiapkan sarapan.", "Meja panjang dengan makanan", True),
        ),
        tags=("kerja bakti", "lingkungan", "rw 03"),
        days_ago=2,
    ),
    DemoPost(
        kim="kim-ketabang",
        author="editor.ketabang",
        kind="umkm",
        title="Sambal bawang Bu Siti, oleh-oleh pedas dari Ketabang",
        summary="Sambal bawang rumahan tanpa pengawet, dibuat tiap pagi oleh Bu Siti Aminah "
        "dan dijual dalam botol 150 gram.",
        body=(
            "Bu Siti Aminah sudah sepuluh tahun membuat sambal bawang di dapurnya di Gang "
            "Ketabang Kali. Cabai rawit dan bawang putih dibeli segar dari Pasar Genteng setiap "
            "subuh.\n\n"
            "Satu botol berisi 150 gram dan tahan dua minggu di suhu ruang. Tersedia tingkat "
            "pedas sedang dan pedas sekali. Pesanan dapat diambil di rumah atau diantar untuk "
            "wilayah Genteng."
        ),
        photos=(
            DemoPhoto("Botol-botol sambal siap dikirim.", "Deretan botol sambal merah"),
            DemoPhoto("Bu Siti mengulek sambal.", "Perempuan mengulek sambal di cobek", True),
        ),
        tags=("umkm", "kuliner"),
        days_ago=5,
        price=25000,
        order_whatsapp="0812-3170-4455",
        umkm_category="kuliner",
    ),
    DemoPost(
        kim="kim-ketabang",
        author="editor.ketabang",
        kind="agenda",
        title="Kelas literasi digital untuk warga lansia",
        summary="Belajar video call, mengenali pesan penipuan, dan mengecek kabar bohong. "
        "Gratis, bawa ponsel masing-masing.",
        body=(
            "KIM Ketabang Maju mengajak warga berusia 55 tahun ke atas belajar memakai ponsel "
            "dengan aman. Materinya: melakukan panggilan video dengan cucu, mengenali pesan "
            "penipuan berhadiah, dan memeriksa kabar yang beredar di grup WhatsApp.\n\n"
            "Pendamping dari Seksi Literasi Digital akan membantu satu per satu. Tempat terbatas "
            "untuk 30 peserta; daftar ke pengurus RT."
        ),
        photos=(DemoPhoto("Kelas bulan lalu di balai RW.", "Warga lansia belajar memakai ponsel"),),
        tags=("literasi digital", "lansia"),
        days_ago=1,
        event_in_days=9,
        event_time=time(19, 0),
        event_place="Balai RW 03, Jl. Jaksa Agung Suprapto No. 2",
    ),
    DemoPost(
        kim="kim-ketabang",
        author="editor.ketabang",
        kind="hoaks",
        title="Pesan berantai pemadaman air tiga hari se-Surabaya tidak benar",
        summary="Pesan yang beredar di grup WhatsApp warga tentang pemadaman air tiga hari "
        "adalah hoaks. Tidak ada jadwal pemeliharaan besar bulan ini.",
        body=(
            "Sejak Senin, pesan berantai menyebut air PDAM akan padam tiga hari berturut-turut di "
            "seluruh Surabaya dan meminta warga menampung air sebanyak-banyaknya.\n\n"
            "Kami memeriksa kanal resmi PDAM Surya Sembada dan menghubungi petugas kelurahan. "
            "**Tidak ada jadwal pemadaman seperti itu.** Gambar yang dibagikan adalah pengumuman "
            "lama dari 2019 yang tanggalnya diubah.\n\n"
            "Jika menerima pesan serupa, jangan diteruskan. Tanyakan dulu ke pengurus KIM."
        ),
        photos=(DemoPhoto("Tangkapan layar pesan berantai, ditandai.", "Ponsel dengan pesan"),),
        tags=("cek fakta", "air bersih"),
        days_ago=8,
        claim="Air PDAM akan padam tiga hari berturut-turut di seluruh Surabaya mulai besok; "
        "warga diminta menampung air.",
        verdict="hoaks",
        sources=(
            "https://www.pdam-sby.go.id/\n"
            "https://surabaya.go.id/\n"
            "Keterangan petugas Kelurahan Ketabang"
        ),
    ),
    DemoPost(
        kim="kim-ketabang",
        author="kontributor.ketabang",
        kind="berita",
        title="Posyandu lansia Ketabang kini buka dua kali sebulan",
        summary="Mulai bulan ini posyandu lansia di Balai RW 03 buka setiap Selasa pertama dan "
        "ketiga, pukul 08.00 sampai 11.00.",
        body=(
            "Puskesmas Ketabang menambah jadwal posyandu lansia karena jumlah pengunjung terus "
            "naik. Layanan meliputi cek tekanan darah, gula darah, dan konsultasi gizi.\n\n"
            "Warga cukup membawa KTP dan buku kesehatan lansia. Layanan ini gratis."
        ),
        photos=(DemoPhoto("Kader memeriksa tekanan darah warga.", "Kader posyandu dan warga"),),
        tags=("kesehatan", "posyandu"),
        days_ago=100,
    ),
    DemoPost(
        kim="kim-ketabang",
        author="kontributor.ketabang",
        kind="kegiatan",
        title="Lomba kampung bersih dan hijau tingkat kelurahan",
        summary="Tujuh RW beradu kampung paling bersih dan hijau. Penilaian dilakukan pekan "
        "depan oleh tim kelurahan.",
        body=(
            "Kelurahan Ketabang menggelar lomba kampung bersih dan hijau. Yang dinilai: "
            "kebersihan saluran, tanaman di depan rumah, bank sampah, dan partisipasi warga.\n\n"
            "Pemenang mendapat bantuan tanaman dan tempat sampah terpilah."
        ),
        photos=(DemoPhoto("Gang hijau di RW 05.", "Gang sempit penuh pot tanaman", True),),
        tags=("lingkungan", "lomba"),
        days_ago=0.2,
        outcome="submitted",
    ),
    DemoPost(
        kim="kim-ketabang",
        author="kontributor.ketabang",
        kind="berita",
        title="Promo pulsa murah untuk warga Ketabang",
        summary="Beli pulsa dan paket data lebih murah di konter kami.",
        body=(
            "Konter pulsa di ujung gang memberi potongan harga untuk semua operator selama "
            "sepekan. Hubungi nomor konter untuk pemesanan dan antar gratis."
        ),
        days_ago=4,
        outcome="rejected",
        reject_reason=(
            "Tulisan ini iklan usaha pribadi, bukan informasi untuk warga. Jika konter ini usaha "
            "warga binaan KIM, tulis ulang sebagai UMKM dengan profil usaha dan harga yang jelas."
        ),
    ),
    DemoPost(
        kim="kim-kemiren",
        author="admin.kemiren",
        kind="potensi",
        title="Kopi Kemiren, dari kebun lereng Ijen ke cangkir wisatawan",
        summary="Kopi robusta dan arabika dari kebun warga Kemiren disangrai di tungku kayu "
        "dan disajikan dalam tradisi Ngopi Sepuluh Ewu.",
        body=(
            "Kebun kopi warga Kemiren berada di ketinggian 450 sampai 600 meter di lereng Ijen. "
            "Setelah dipetik merah, biji kopi dijemur di halaman rumah lalu disangrai memakai "
            "wajan tanah liat di atas tungku kayu.\n\n"
            "Setiap tahun desa menggelar **Ngopi Sepuluh Ewu**: sepuluh ribu cangkir kopi "
            "disuguhkan gratis di sepanjang jalan desa. Wisatawan dapat membeli kopi bubuk di "
            "warung-warung warga."
        ),
        photos=(
            DemoPhoto("Biji kopi dijemur di halaman.", "Hamparan biji kopi di atas terpal"),
            DemoPhoto("Menyangrai kopi di wajan tanah liat.", "Wajan tanah liat di tungku"),
            DemoPhoto("Kebun kopi di lereng Ijen.", "Deretan pohon kopi di lereng", True),
        ),
        tags=("kopi", "desa wisata", "osing"),
        days_ago=3,
    ),
    DemoPost(
        kim="kim-kemiren",
        author="admin.kemiren",
        kind="agenda",
        title="Tumpeng Sewu 2026: jadwal dan tata tertib pengunjung",
        summary="Ribuan tumpeng pecel pitik digelar di sepanjang jalan desa selepas magrib. "
        "Pengunjung diminta parkir di lapangan desa.",
        body=(
            "Tumpeng Sewu adalah selamatan desa yang digelar setiap bulan Dzulhijjah. Setiap "
            "rumah menyajikan tumpeng dengan pecel pitik di depan rumah, lalu warga dan tamu "
            "makan bersama.\n\n"
            "Tata tertib: parkir di lapangan desa, berjalan kaki ke lokasi, tidak menyalakan "
            "petasan, dan menjaga kebersihan. Pemandu dari Pokdarwis siap membantu."
        ),
        photos=(
            DemoPhoto("Deretan tumpeng di jalan desa.", "Tumpeng berjajar di tikar"),
            DemoPhoto("Obor dinyalakan selepas magrib.", "Obor menyala di tepi jalan"),
        ),
        tags=("tradisi", "osing", "desa wisata"),
        days_ago=6,
        event_in_days=20,
        event_time=time(18, 30),
        event_place="Jalan utama Desa Kemiren, Kecamatan Glagah",
    ),
    DemoPost(
        kim="kim-kemiren",
        author="admin.kemiren",
        kind="umkm",
        title="Pecel pitik khas Osing, pesan antar untuk acara keluarga",
        summary="Ayam kampung bakar disuwir dengan parutan kelapa berbumbu, untuk 4 orang per "
        "porsi.",
        body=(
            "Pecel pitik adalah hidangan sakral masyarakat Osing yang kini bisa dipesan untuk "
            "acara keluarga. Ayam kampung dibakar, disuwir, lalu diaduk dengan parutan kelapa, "
            "cabai, dan kemiri.\n\n"
            "Pesan paling lambat sehari sebelumnya. Antar gratis untuk wilayah Glagah."
        ),
        photos=(DemoPhoto("Satu porsi pecel pitik.", "Piring berisi ayam suwir berbumbu"),),
        tags=("kuliner", "osing"),
        days_ago=70,
        price=85000,
        order_whatsapp="0813-3500-2191",
        umkm_category="kuliner",
    ),
    DemoPost(
        kim="kim-dago",
        author="admin.dago",
        kind="umkm",
        title="Tas rajut daur ulang karya ibu-ibu Dago",
        summary="Tas belanja dirajut dari plastik kemasan bekas yang dicuci dan dipotong pita, "
        "kuat menahan lima kilogram.",
        body=(
            "Kelompok rajut RW 07 mengolah plastik kemasan kopi dan deterjen dari bank sampah "
            "menjadi tas belanja dan dompet.\n\n"
            "Satu tas selesai dalam tiga hari. Pesanan warna dan ukuran khusus diterima."
        ),
        tags=("umkm", "daur ulang"),
        days_ago=3,
        price=65000,
        order_whatsapp="0812-2000-7307",
        umkm_category="kerajinan",
    ),
    DemoPost(
        kim="kim-kemiren",
        author="admin.kemiren",
        kind="kegiatan",
        title="Sanggar Barong Kemiren buka kelas tari untuk anak",
        summary="Setiap Minggu sore, anak-anak Kemiren belajar tari Gandrung dan Barong di "
        "pendopo desa bersama seniman Osing.",
        body=(
            "Sanggar Barong Kemiren membuka kelas tari gratis untuk anak usia 7 sampai 15 "
            "tahun. Latihan dimulai pukul 15.00 di pendopo desa.\n\n"
            "Pengurus sanggar berharap generasi muda tetap mengenal kesenian Osing."
        ),
        photos=(
            DemoPhoto("Anak-anak berlatih tari Gandrung.", "Anak-anak menari di pendopo"),
            DemoPhoto("Topeng barong di sanggar.", "Topeng barong merah", True),
        ),
        tags=("seni", "anak", "osing"),
        days_ago=130,
    ),
    DemoPost(
        kim="kim-dago",
        author="admin.dago",
        kind="berita",
        title="Peringatan dini cuaca ekstrem untuk lereng utara Bandung",
        summary="BMKG memperingatkan hujan lebat disertai angin kencang sore hingga malam. "
        "Warga di lereng diminta waspada longsor.",
        body=(
            "Berdasarkan peringatan dini BMKG, hujan lebat disertai petir dan angin kencang "
            "berpotensi terjadi di Bandung Utara pada sore hingga malam hari.\n\n"
            "Warga yang tinggal di tebing dan bantaran sungai diminta memperhatikan retakan "
            "tanah dan suara gemuruh. Nomor darurat BPBD Kota Bandung: 112."
        ),
        photos=(DemoPhoto("Awan gelap di atas Dago.", "Langit mendung di atas perbukitan"),),
        tags=("kebencanaan", "cuaca"),
        days_ago=0.5,
    ),
    DemoPost(
        kim="kim-dago",
        author="admin.dago",
        kind="hoaks",
        title="Kabar retakan tanah besar di Dago Pakar belum terbukti",
        summary="Foto retakan yang beredar belum dapat dipastikan lokasinya. Petugas BPBD masih "
        "memeriksa laporan warga.",
        body=(
            "Sebuah foto retakan tanah disebut berada di Dago Pakar dan menandakan longsor "
            "besar. Kami belum menemukan lokasi yang cocok dengan foto itu.\n\n"
            "Petugas BPBD Kota Bandung sedang memeriksa laporan warga. Sampai ada keterangan "
            "resmi, kabar ini kami nyatakan belum terbukti."
        ),
        photos=(DemoPhoto("Tim KIM memeriksa lokasi yang disebut.", "Jalan setapak di lereng"),),
        tags=("cek fakta", "longsor"),
        days_ago=4,
        claim="Ada retakan tanah sepanjang 50 meter di Dago Pakar; longsor besar akan terjadi "
        "dalam hitungan hari.",
        verdict="belum_terbukti",
        sources="https://bpbd.bandung.go.id/\nhttps://www.bmkg.go.id/",
    ),
    DemoPost(
        kim="kim-dago",
        author="admin.dago",
        kind="kegiatan",
        title="Pelatihan cek fakta untuk pengurus RT dan RW",
        summary="Empat puluh pengurus RT dan RW Dago belajar memeriksa foto, video, dan pesan "
        "berantai sebelum meneruskannya.",
        body=(
            "Pelatihan dibuka dengan contoh kabar bohong yang pernah beredar di Dago. Peserta "
            "lalu belajar mencari sumber asli foto, memeriksa tanggal, dan membandingkan dengan "
            "kanal resmi.\n\n"
            "Setiap peserta pulang dengan kartu saku langkah cek fakta."
        ),
        photos=(
            DemoPhoto("Peserta berlatih mencari sumber foto.", "Peserta menatap layar ponsel"),
            DemoPhoto("Kartu saku cek fakta.", "Kartu kecil berisi langkah-langkah"),
        ),
        tags=("literasi digital", "cek fakta"),
        days_ago=40,
    ),
    DemoPost(
        kim="kim-tamalanrea",
        author="admin.tamalanrea",
        kind="hoaks",
        title="Video banjir lama disebut terjadi di Tamalanrea kemarin",
        summary="Video genangan setinggi pinggang yang beredar direkam pada 2019, bukan "
        "kemarin. Jalan Perintis Kemerdekaan tidak tergenang.",
        body=(
            "Video berdurasi 30 detik memperlihatkan kendaraan menerobos genangan tinggi dan "
            "disebut terjadi kemarin di Tamalanrea.\n\n"
            "Penelusuran kami menemukan video yang sama diunggah pada Januari 2019. Pengurus RW "
            "setempat memastikan jalan tidak tergenang kemarin."
        ),
        photos=(DemoPhoto("Jalan Perintis Kemerdekaan kemarin sore.", "Jalan raya yang kering"),),
        tags=("cek fakta", "banjir"),
        days_ago=2,
        claim="Video banjir setinggi pinggang di Jalan Perintis Kemerdekaan terjadi kemarin.",
        verdict="disinformasi",
        sources="https://makassarkota.go.id/",
    ),
    DemoPost(
        kim="kim-tamalanrea",
        author="admin.tamalanrea",
        kind="hoaks",
        title="Benar, layanan KTP elektronik di kelurahan buka Sabtu pagi",
        summary="Kabar tentang layanan rekam KTP elektronik pada Sabtu pagi di kantor "
        "kelurahan benar adanya.",
        body=(
            "Banyak warga bertanya apakah pesan tentang layanan KTP elektronik pada hari Sabtu "
            "itu benar. Kami mengonfirmasi ke kantor kelurahan: layanan buka Sabtu pukul 08.00 "
            "sampai 12.00 selama bulan ini.\n\n"
            "Bawa kartu keluarga asli. Antrean dibatasi 50 orang."
        ),
        photos=(DemoPhoto("Antrean di kantor kelurahan.", "Warga antre di ruang tunggu"),),
        tags=("cek fakta", "layanan publik"),
        days_ago=11,
        claim="Kantor Kelurahan Tamalanrea membuka layanan KTP elektronik pada Sabtu pagi.",
        verdict="benar",
        sources="https://makassarkota.go.id/\nKeterangan Kantor Kelurahan Tamalanrea",
    ),
    DemoPost(
        kim="kim-tamalanrea",
        author="admin.tamalanrea",
        kind="potensi",
        title="Kebun sayur hidroponik di atap rumah warga Tamalanrea",
        summary="Kelompok wanita tani memanen kangkung dan selada dari instalasi hidroponik di "
        "atap rumah, lalu menjualnya ke warung sekitar.",
        body=(
            "Berawal dari pelatihan dinas pertanian, sepuluh ibu rumah tangga kini merawat 800 "
            "lubang tanam hidroponik di atap rumah.\n\n"
            "Panen kangkung setiap tiga pekan dijual ke warung makan di sekitar kampus."
        ),
        photos=(
            DemoPhoto("Instalasi hidroponik di atap.", "Pipa-pipa berisi sayur hijau"),
            DemoPhoto("Panen selada.", "Tangan memegang selada", True),
        ),
        tags=("pertanian kota", "umkm"),
        days_ago=7,
    ),
    # Older posts, so that the archive and the monthly charts of /statistik/ show some history
    # (each after its KIM's verification).
    DemoPost(
        kim="kim-ketabang",
        author="editor.ketabang",
        kind="kegiatan",
        title="Pelatihan membuat konten video pendek untuk pengurus RT",
        summary="Dua puluh pengurus RT belajar merekam dan menyunting video pengumuman "
        "dengan ponsel masing-masing.",
        body=(
            "KIM Ketabang mengajak pengurus RT berlatih membuat video pengumuman berdurasi "
            "satu menit: jadwal posyandu, kerja bakti, dan pemadaman listrik.\n\n"
            "Peserta belajar mengambil gambar dengan cahaya cukup, menulis teks yang jelas, "
            "dan memeriksa kebenaran informasi sebelum membagikannya."
        ),
        tags=("literasi digital", "pelatihan"),
        days_ago=185,
    ),
    DemoPost(
        kim="kim-ketabang",
        author="kontributor.ketabang",
        kind="berita",
        title="Jadwal pengambilan sampah kampung berubah mulai pekan depan",
        summary="Gerobak sampah kini datang setiap Senin, Rabu, dan Jumat pagi.",
        body=(
            "Dinas Lingkungan Hidup mengubah jadwal pengambilan sampah di Kelurahan Ketabang. "
            "Warga diminta mengeluarkan sampah sebelum pukul 06.00 pada hari pengambilan.\n\n"
            "Sampah yang sudah dipilah dapat disetor ke bank sampah RW 05 setiap Sabtu."
        ),
        tags=("lingkungan", "sampah"),
        days_ago=150,
    ),
    DemoPost(
        kim="kim-kemiren",
        author="admin.kemiren",
        kind="potensi",
        title="Kopi Kemiren dipanen, petani mulai menjemur biji",
        summary="Musim panen kopi robusta tiba. Petani Kemiren menjemur biji di halaman rumah "
        "dan di lantai jemur desa.",
        body=(
            "Panen tahun ini lebih baik dari tahun lalu berkat hujan yang cukup. Sebagian biji "
            "diolah sendiri menjadi kopi bubuk, sebagian dijual ke pengepul.\n\n"
            "Kelompok tani mengajak pemuda belajar sangrai agar nilai jual kopi desa naik."
        ),
        tags=("kopi", "pertanian"),
        days_ago=145,
    ),
    DemoPost(
        kim="kim-kemiren",
        author="admin.kemiren",
        kind="kegiatan",
        title="Warga bergotong royong memperbaiki jalan menuju kebun",
        summary="Jalan tanah sepanjang 300 meter diperkeras dengan batu dan pasir swadaya warga.",
        body=(
            "Setiap musim hujan jalan menuju kebun kopi berlumpur dan sulit dilalui motor. "
            "Warga mengumpulkan batu dan pasir, lalu bekerja bersama selama dua hari.\n\n"
            "Pemerintah desa menyumbang semen dan konsumsi untuk para pekerja."
        ),
        tags=("gotong royong", "infrastruktur"),
        days_ago=120,
    ),
    DemoPost(
        kim="kim-dago",
        author="admin.dago",
        kind="berita",
        title="Pendaftaran sekolah dasar dibuka, ini syaratnya",
        summary="Orang tua dapat mendaftarkan anak secara daring atau langsung di sekolah.",
        body=(
            "Pendaftaran murid baru sekolah dasar negeri di Kecamatan Coblong dibuka selama dua "
            "pekan. Syaratnya: akta kelahiran, kartu keluarga, dan usia anak minimal enam "
            "tahun.\n\n"
            "Warga yang kesulitan mendaftar daring dapat dibantu relawan KIM Dago di balai RW."
        ),
        tags=("pendidikan",),
        days_ago=110,
    ),
    DemoPost(
        kim="kim-dago",
        author="admin.dago",
        kind="kegiatan",
        title="Senam pagi bersama warga setiap Minggu di taman RW",
        summary="Senam dipandu instruktur dari puskesmas, terbuka untuk semua usia.",
        body=(
            "Kegiatan senam pagi kembali digelar setiap Minggu pukul 06.30 di taman RW 02. "
            "Instruktur dari puskesmas memandu gerakan yang aman untuk lansia.\n\n"
            "Usai senam, kader kesehatan membuka pemeriksaan tekanan darah gratis."
        ),
        tags=("kesehatan", "olahraga"),
        days_ago=80,
    ),
)
