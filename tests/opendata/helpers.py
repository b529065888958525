"""The shared world grown with every kind of row the open data and the API must show or hide.

`populate(world)` adds, next to the world's KIMs (two verified, two pending):
- posts: published in A and B (an UMKM one with an order number), a draft, one hidden by
  reports, one scheduled for tomorrow, one of a pending KIM;
- siaran: current, expired, draft, withdrawn;
- aspirations: public (answered), private, withdrawn, spam, merged; all with a sender's contact;
- contacts on KIM A itself (its email and WhatsApp) and on the members (world: phones).

SECRETS is what no download and no API answer may contain.
"""

import re
from datetime import timedelta

from django.utils import timezone

from accounts.models import User
from communities.models import Community, Member
from tests.aspirations.helpers import EMAIL, NAME, PHONE, make_aspirasi
from tests.factories import make_post
from tests.siaran.helpers import make_siaran

KIM_EMAIL = "sekretariat@kim-ketabang.example.id"
KIM_WHATSAPP = "081234567890"
ORDER_WHATSAPP = "085711112222"

# Titles and texts that must never appear (unpublished, private or withdrawn).
HIDDEN_TEXTS = (
    "KIM Kapasari",
    "KIM Geger Dua",
    "Draf rahasia A",
    "Kabar tersembunyi",
    "Kabar besok",
    "Kabar KIM belum terverifikasi",
    "Siaran draf",
    "Siaran ditarik",
    "Aspirasi pribadi",
    "Aspirasi ditarik",
    "Aspirasi spam",
)


def populate(w):
    now = timezone.now()
    Community.objects.filter(pk=w.kim_a.pk).update(email=KIM_EMAIL, whatsapp=KIM_WHATSAPP)
    w.kim_a.refresh_from_db()
    Community.objects.filter(pk=w.kim_a.pk).update(focus_sectors=["umkm", "pertanian"])
    w.post_a = make_post(
        w.kim_a,
        title="Berita A",
        status="published",
        author=w.a_editor,
        published_at=now - timedelta(hours=2),
    )
    w.umkm_a = make_post(
        w.kim_a,
        title="Keripik tempe",
        status="published",
        kind="umkm",
        order_whatsapp=ORDER_WHATSAPP,
        author=w.a_contributor,
        published_at=now - timedelta(hours=1),
    )
    w.post_b = make_post(
        w.kim_b, title="Berita B", status="published", published_at=now - timedelta(hours=3)
    )
    w.draft_a = make_post(w.kim_a, title="Draf rahasia A", author=w.a_contributor)
    make_post(w.kim_a, title="Kabar tersembunyi", status="published", hidden_by_reports=True)
    make_post(
        w.kim_a, title="Kabar besok", status="published", published_at=now + timedelta(days=1)
    )
    make_post(w.pending_a, title="Kabar KIM belum terverifikasi", status="published")
    w.siaran_now = make_siaran(w.national_admin, title="Siaran vaksinasi", national=True)
    w.siaran_old = make_siaran(
        w.jatim_admin,
        title="Siaran banjir lalu",
        provinces=[w.regions.jatim],
        regencies=[w.regions.surabaya],
        valid_until=now - timedelta(days=1),
        inbox_at=now - timedelta(days=3),
    )
    make_siaran(w.national_admin, title="Siaran draf", status="draft")
    make_siaran(w.national_admin, title="Siaran ditarik", status="withdrawn")
    contact = {"contact_name": NAME, "contact_phone": PHONE, "contact_email": EMAIL}
    w.asp_public = make_aspirasi(
        community=w.kim_a,
        text="Lampu jalan mati.",
        status="ditanggapi",
        answer="Sudah diperbaiki.",
        answered_at=now,
        **contact,
    )
    w.asp_regency = make_aspirasi(regency=w.regions.bandung, text="Jalan berlubang.", **contact)
    make_aspirasi(community=w.kim_a, text="Aspirasi pribadi", is_public=False, **contact)
    make_aspirasi(community=w.kim_a, text="Aspirasi ditarik", status="ditarik", **contact)
    make_aspirasi(community=w.kim_b, text="Aspirasi spam", is_spam=True, **contact)
    return w


def secrets() -> list[str]:
    """Every email, phone number and contact of the world: none may leave in open data."""
    values = {"@", KIM_EMAIL, KIM_WHATSAPP, ORDER_WHATSAPP, NAME, PHONE, EMAIL}
    values.update(User.objects.values_list("email", flat=True))
    values.update(p for p in Member.objects.values_list("phone", flat=True) if p)
    # Names of people: members of the rosters and users.
    values.update(Member.objects.values_list("name", flat=True))
    values.update(n for n in User.objects.values_list("full_name", flat=True) if n)
    return sorted(values)


# An Indonesian mobile number however written: 0812…, 62812…, +62 812-…
PHONE_RE = re.compile(r"(?:\+?62|\b0)[\s-]?8\d{2}[\s-]?\d{3,4}[\s-]?\d{3,5}")


def assert_no_secrets(text: str) -> None:
    for secret in secrets():
        assert secret not in text, secret
    assert not PHONE_RE.search(text), PHONE_RE.search(text).group()
