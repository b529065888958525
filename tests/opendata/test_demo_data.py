"""The demo data (`seed_demo` on the real region tree) through every download and every API
list, page by page: not one email address, phone number or contact of anyone."""

from io import StringIO
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command

from accounts.models import User
from aspirations.models import Aspirasi
from communities.models import Community, Member
from posts.models import Post
from tests.opendata.helpers import PHONE_RE

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

DOWNLOADS = [
    "/data/kim.csv", "/data/kim.json", "/data/statistik-provinsi.csv",
    "/data/statistik-provinsi.json", "/data/statistik-kabupaten.csv",
    "/data/statistik-kabupaten.json",
]  # fmt: skip
LISTS = ["/api/v1/kim", "/api/v1/kabar", "/api/v1/siaran?cakupan=semua", "/api/v1/aspirasi"]


def _names() -> set[str]:
    """People's names: members, applicants and other users, senders of aspirations. Staff
    accounts are offices ("Diskominfo Kota Surabaya"), whose name a siaran shows on purpose."""
    people = User.objects.exclude(full_name="").filter(staff_scopes__isnull=True)
    values = set(people.values_list("full_name", flat=True))
    values |= set(Member.objects.values_list("name", flat=True))
    values |= set(Aspirasi.objects.exclude(contact_name="").values_list("contact_name", flat=True))
    return {v for v in values if len(v) >= 6}


def _contacts() -> set[str]:
    """Email addresses and phone numbers of anyone (people and KIMs)."""
    values = set(User.objects.values_list("email", flat=True))
    values |= set(Member.objects.exclude(phone="").values_list("phone", flat=True))
    for field in ("email", "whatsapp"):
        values |= set(Community.objects.exclude(**{field: ""}).values_list(field, flat=True))
    values |= set(Post.objects.exclude(order_whatsapp="").values_list("order_whatsapp", flat=True))
    for field in ("contact_phone", "contact_email"):
        values |= set(Aspirasi.objects.exclude(**{field: ""}).values_list(field, flat=True))
    return {v for v in values if len(v) >= 6}


def _responses(client):
    for url in DOWNLOADS:
        response = client.get(url)
        assert response.status_code == 200, url
        content = b"".join(response.streaming_content) if response.streaming else response.content
        yield url, content.decode()
    for url in LISTS:
        url += ("&" if "?" in url else "?") + "limit=100"
        while url:
            response = client.get(url)
            assert response.status_code == 200, url
            yield url, response.content.decode()
            following = response.json()["next"]
            url = following and urlsplit(following)._replace(scheme="", netloc="").geturl()


def test_the_demo_data_leaks_no_contact(client, settings):
    settings.DEBUG = True  # seed_demo is for development
    call_command("load_regions", stdout=StringIO())
    call_command("seed_demo", stdout=StringIO())
    contacts, names = _contacts(), _names()
    assert len(contacts) > 20 and len(names) > 20  # the demo has people with contacts
    seen = 0
    for url, text in _responses(client):
        seen += 1
        assert "@" not in text, url
        assert not PHONE_RE.search(text), (url, PHONE_RE.search(text).group())
        leaked = [c for c in contacts if c in text]
        # A published post may name a person (the maker of an UMKM product, say): its text is
        # the KIM's own public words. Nothing else may.
        if not url.startswith("/api/v1/kabar"):
            leaked += [n for n in names if n in text]
        assert not leaked, (url, leaked[:5])
    assert seen >= len(DOWNLOADS) + len(LISTS)
