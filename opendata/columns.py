"""The open data sets and their columns: the one place that names them.

The downloads (/data/), the page that documents them and the read API (/api/v1/) all take their
columns from here, so a column cannot appear in one and not in the others. The names are stable:
renaming or removing one breaks every consumer's import, so do it only with a new API version and
a note on /data/. tests/opendata/test_columns.py lists them by hand.

None of these data sets carries a person's name, an email address or a phone number: not a
member's, not an applicant's, not the KIM's own contact numbers.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

# How a column's values are written; the key is stable, the label follows the reader's language.
KINDS = {
    "teks": _("teks"),
    "bilangan": _("bilangan"),
    "tanggal": _("tanggal"),
    "daftar": _("daftar"),
}


@dataclass(frozen=True)
class Column:
    name: str
    kind: str  # a key of KINDS
    description: str

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown column kind {self.kind!r}")

    @property
    def kind_label(self) -> str:
        return str(KINDS[self.kind])


@dataclass(frozen=True)
class Dataset:
    slug: str  # the file name's stem: kim-2026-12-01.csv
    title: str
    description: str
    columns: tuple[Column, ...]

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.columns]


REGION_COLUMNS = (
    Column("kode_provinsi", "teks", _("Kode provinsi Kemendagri, misalnya 35.")),
    Column("nama_provinsi", "teks", _("Nama provinsi.")),
    Column("kode_kabupaten", "teks", _("Kode kabupaten/kota Kemendagri, misalnya 35.78.")),
    Column("nama_kabupaten", "teks", _("Nama kabupaten/kota.")),
)

KIM = Dataset(
    slug="kim",
    title=_("Direktori KIM"),
    description=_(
        "Setiap KIM yang sudah diverifikasi Diskominfo kabupaten/kota, dengan alamat wilayahnya. "
        "Tanpa nama, email, atau nomor telepon pengurus, anggota, maupun pendaftar."
    ),
    columns=(
        Column(
            "id", "bilangan", _("Nomor KIM di kim.id; tetap walaupun nama atau alamatnya berubah.")
        ),
        Column("nomor_induk", "teks", _("Nomor induk KIM: kode desa dan nomor urut di desa itu.")),
        Column("nama", "teks", _("Nama KIM.")),
        Column(
            "jenis",
            "teks",
            _(
                "kim, forum_regency (Forum KIM kabupaten/kota) "
                "atau forum_province (Forum KIM provinsi)."
            ),
        ),
        Column("subdomain", "teks", _("Alamat subdomain KIM di kim.id.")),
        Column("url", "teks", _("Alamat situs KIM.")),
        *REGION_COLUMNS,
        Column("kode_kecamatan", "teks", _("Kode kecamatan (kosong untuk forum).")),
        Column("nama_kecamatan", "teks", _("Nama kecamatan (kosong untuk forum).")),
        Column("kode_desa", "teks", _("Kode desa/kelurahan (kosong untuk forum).")),
        Column("nama_desa", "teks", _("Nama desa/kelurahan (kosong untuk forum).")),
        Column("status", "teks", _("Status KIM; selalu verified di data terbuka.")),
        Column("tanggal_verifikasi", "tanggal", _("Tanggal KIM diverifikasi (YYYY-MM-DD, WIB).")),
        Column("bidang_fokus", "daftar", _("Bidang fokus KIM; di CSV dipisah titik koma.")),
        Column("jumlah_anggota", "bilangan", _("Jumlah anggota dalam daftar pengurus KIM.")),
    ),
)

_STAT_COLUMNS = (
    Column("jumlah_kim", "bilangan", _("KIM terverifikasi (termasuk forum).")),
    Column("jumlah_desa", "bilangan", _("Desa dan kelurahan di wilayah ini.")),
    Column("desa_dengan_kim", "bilangan", _("Desa dan kelurahan yang punya KIM terverifikasi.")),
    Column("cakupan_per_100_desa", "bilangan", _("Desa dengan KIM per 100 desa (satu desimal).")),
    Column("jumlah_kabar", "bilangan", _("Kabar yang tayang di situs KIM wilayah ini.")),
)

STATS_PROVINCE = Dataset(
    slug="statistik-provinsi",
    title=_("Statistik per provinsi"),
    description=_("KIM terverifikasi, desa, cakupan dan kabar yang tayang di setiap provinsi."),
    columns=(*REGION_COLUMNS[:2], *_STAT_COLUMNS),
)

STATS_REGENCY = Dataset(
    slug="statistik-kabupaten",
    title=_("Statistik per kabupaten/kota"),
    description=_(
        "KIM terverifikasi, desa, cakupan dan kabar yang tayang di setiap kabupaten/kota."
    ),
    columns=(*REGION_COLUMNS, *_STAT_COLUMNS),
)

DATASETS = {d.slug: d for d in (KIM, STATS_PROVINCE, STATS_REGENCY)}
