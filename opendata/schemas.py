"""The read API's response shapes (pydantic, through django-ninja): its OpenAPI description.

A KIM has exactly the columns of the open data's KIM directory (opendata.columns.KIM; a test
holds them equal). No shape here has a field for a person's name, an email or a phone number.
"""

from datetime import datetime

from ninja import Schema
from pydantic import ConfigDict, Field


class _Strict(Schema):
    # Extra keys are an error, so that a field cannot slip into a response undescribed.
    model_config = ConfigDict(extra="forbid")


class Error(_Strict):
    detail: str | list = Field(description="Penjelasan kesalahan.")


class Region(_Strict):
    kode: str = Field(description="Kode wilayah Kemendagri.")
    nama: str


class RegionList(_Strict):
    items: list[Region]
    next: None = Field(None, description="Selalu null: daftar wilayah tidak berhalaman.")


class Kim(_Strict):
    id: int
    nomor_induk: str
    nama: str
    jenis: str
    subdomain: str
    url: str
    kode_provinsi: str
    nama_provinsi: str
    kode_kabupaten: str
    nama_kabupaten: str
    kode_kecamatan: str
    nama_kecamatan: str
    kode_desa: str
    nama_desa: str
    status: str
    tanggal_verifikasi: str = Field(description="YYYY-MM-DD (WIB).")
    bidang_fokus: list[str]
    jumlah_anggota: int


class KimPage(_Strict):
    items: list[Kim]
    next: str | None = Field(description="Alamat halaman berikutnya; null di halaman terakhir.")


class Post(_Strict):
    id: int
    judul: str
    ringkasan: str
    jenis: str
    tag: list[str]
    tayang: datetime
    url: str
    kim_id: int
    kim_nama: str
    kode_provinsi: str
    kode_kabupaten: str


class PostPage(_Strict):
    items: list[Post]
    next: str | None


class Siaran(_Strict):
    id: int
    judul: str
    instansi: str
    isi: str
    tautan: list[str]
    berlaku_mulai: datetime
    berlaku_sampai: datetime | None
    nasional: bool
    kode_provinsi: list[str]
    kode_kabupaten: list[str]
    terbit: datetime | None
    url: str


class SiaranPage(_Strict):
    items: list[Siaran]
    next: str | None


class Aspirasi(_Strict):
    nomor: int
    topik: str
    isi: str
    status: str
    tanggapan: str
    ditanggapi_pada: datetime | None
    dikirim: datetime
    kim_id: int | None
    kim_nama: str
    kode_provinsi: str
    kode_kabupaten: str
    nama_kabupaten: str
    kode_desa: str
    url: str


class AspirasiPage(_Strict):
    items: list[Aspirasi]
    next: str | None
