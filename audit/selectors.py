"""Reading the audit log: who may, the filtered list (newest first), its pages and its CSV."""

import json
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta

from django.db.models import QuerySet
from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from audit.models import AuditEvent
from communities import permissions
from kimportal.lib.csv_cells import Column, csv_table
from kimportal.lib.keyset import Keyset, KeysetPage, keyset_page
from kimportal.templatetags.formats import iso

PAGE_SIZE = 50
KEYSET = Keyset("occurred_at", descending=True, kind=datetime)


def can_read(user) -> bool:
    """National admins only: the log covers every region and every staff member."""
    return permissions.is_national_admin(user)


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def events(
    *,
    action: str = "",
    actor_id: int | None = None,
    province: str = "",
    regency: str = "",
    start: date | None = None,
    end: date | None = None,
) -> QuerySet[AuditEvent]:
    """The events matching the filters (each one optional; `end` is inclusive, in local time).
    Unordered: the caller orders (newest first) or pages with KEYSET."""
    queryset = AuditEvent.objects.all()
    if action:
        queryset = queryset.filter(action=action)
    if actor_id is not None:
        queryset = queryset.filter(actor_id=actor_id)
    if province:
        queryset = queryset.filter(province_code=province)
    if regency:
        queryset = queryset.filter(regency_code=regency)
    if start:
        queryset = queryset.filter(occurred_at__gte=_day_start(start))
    if end:
        queryset = queryset.filter(occurred_at__lt=_day_start(end + timedelta(days=1)))
    return queryset


def events_from_form(cleaned: dict) -> QuerySet[AuditEvent]:
    return events(
        action=cleaned.get("aksi") or "",
        actor_id=cleaned.get("pelaku"),
        province=cleaned.get("provinsi") or "",
        regency=cleaned.get("kabupaten") or "",
        start=cleaned.get("dari"),
        end=cleaned.get("sampai"),
    )


def events_page(queryset: QuerySet[AuditEvent], params: QueryDict) -> KeysetPage:
    """One page, newest first: one query at any depth (the filters' indexes end in the order)."""
    return keyset_page(queryset, KEYSET, size=PAGE_SIZE, params=params)


# --- The CSV -------------------------------------------------------------------------------------


# Stable names (scripts and spreadsheets read them): add columns at the end, never rename one.
CSV_COLUMNS: tuple[Column, ...] = (
    Column("waktu", _("Waktu tindakan (zona waktu portal)."), lambda e: iso(e.occurred_at)),
    Column("tindakan", _("Kode tindakan."), lambda e: e.action),
    Column("tindakan_label", _("Nama tindakan."), lambda e: e.get_action_display()),
    Column("pelaku_id", _("ID akun pelaku."), lambda e: e.actor_id or ""),
    Column("peran_pelaku", _("Peran pelaku saat itu."), lambda e: e.actor_role),
    Column("sasaran_jenis", _("Jenis sasaran."), lambda e: e.target_kind),
    Column("sasaran_id", _("ID sasaran."), lambda e: e.target_id or ""),
    Column("sasaran", _("Nama sasaran (nama KIM, judul tulisan)."), lambda e: e.target_label),
    Column("kode_provinsi", _("Kode provinsi sasaran."), lambda e: e.province_code),
    Column("kode_kabupaten", _("Kode kabupaten/kota sasaran."), lambda e: e.regency_code),
    Column(
        "rincian",
        _("Rincian (JSON), misalnya alasan."),
        lambda e: json.dumps(e.detail, ensure_ascii=False, sort_keys=True) if e.detail else "",
    ),
)


def events_csv(queryset: QuerySet[AuditEvent]) -> Iterator[str]:
    """Every matching event, newest first, as CSV lines (each cell made formula-safe), read in
    chunks so that memory stays flat whatever the size of the log."""
    return csv_table(CSV_COLUMNS, queryset.order_by(*KEYSET.ordering()).iterator(chunk_size=2000))
