"""Builders for the aspirations tests (kept in tests/, never shipped)."""

import time

from django.core import signing
from django.utils import timezone

from aspirations import codes
from aspirations.forms import _SALT
from aspirations.models import Aspirasi, AspirasiEvent

# Contact details that must never leave the queue: every privacy test looks for these.
NAME = "Siti Rahasiawati"
PHONE = "0813-9876-5432"
EMAIL = "siti.rahasia@example.id"
CONTACT = (NAME, PHONE, EMAIL, "0813", "siti.rahasia")


def started(seconds_ago: int = 60) -> str:
    """A signed form timestamp from `seconds_ago` (past the minimum fill time)."""
    return signing.dumps(int(time.time()) - seconds_ago, salt=_SALT)


def form_data(**overrides) -> dict:
    data = {
        "regency": "35.78",
        "village": "Ketabang",
        "topic": "infrastruktur",
        "text": "Jalan di depan balai RW 03 berlubang besar dan membahayakan pengendara motor.",
        "contact_name": NAME,
        "contact_phone": PHONE,
        "contact_email": EMAIL,
        "website": "",
        "started": started(),
    }
    data.update(overrides)
    return data


_counter = iter(range(1, 10**6))


def make_aspirasi(
    *,
    community=None,
    regency=None,
    text: str = "Lampu jalan di gang mati sejak sebulan.",
    status: str = "diterima",
    code: str | None = None,
    created_at=None,
    **fields,
) -> Aspirasi:
    """An aspirasi stored directly (no rate limit, no emails); to `community` or `regency`."""
    if community is not None:
        regency_id, province_id = community.regency_id, community.province_id
        fields.setdefault("village_id", community.village_id)
    else:
        regency_id, province_id = regency.pk, regency.province_id
    n = next(_counter)
    code = code or codes.new_code()
    now = timezone.now()
    aspirasi = Aspirasi.objects.create(
        community=community,
        regency_id=regency_id,
        province_id=province_id,
        topic=fields.pop("topic", "infrastruktur"),
        text=text,
        status=status,
        code_hash=codes.code_hash(code),
        sender_key=f"s{n}",
        network_key=f"n{n}",
        acted_at=fields.pop("acted_at", created_at or now),
        **fields,
    )
    if created_at is not None:
        Aspirasi.objects.filter(pk=aspirasi.pk).update(created_at=created_at)
        aspirasi.created_at = created_at
    AspirasiEvent.objects.create(
        aspirasi=aspirasi,
        community=community,
        regency_id=regency_id,
        action="received",
        is_public=True,
    )
    aspirasi.code = code
    return aspirasi
