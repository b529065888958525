"""Personal data never reaches a public output (issue 12): every page, feed, sitemap, open-data
file and API answer a visitor can ask for on the portal and on a subsite (the route guard's
public entries, which name every public route) is fetched with roster phone numbers, aspiration
contacts and account emails planted in the world, and none of them may appear, nor in any log
line written meanwhile.
"""

import logging

import pytest

from accounts.models import User
from aspirations.models import Aspirasi
from communities.models import Member
from tests.aspirations.helpers import make_aspirasi
from tests.test_route_guard import HOSTS
from tests.test_route_guard import w as w  # the route guard's world (its paths name its objects)

pytestmark = pytest.mark.django_db

PHONE = "081277715599"
CONTACT_EMAIL = "pengirim.rahasia@example.id"
CONTACT_PHONE = "085299931177"
CONTACT_NAME = "Sutarmi Pengirim"


@pytest.fixture
def planted(w):
    Member.objects.filter(community=w.kim_a).update(phone=PHONE)
    make_aspirasi(
        community=w.kim_a,
        status=Aspirasi.Status.ANSWERED,
        contact_name=CONTACT_NAME,
        contact_email=CONTACT_EMAIL,
        contact_phone=CONTACT_PHONE,
    )
    # Account emails (a KIM's own contact address is public by design, and not planted).
    emails = [obj.email for obj in vars(w).values() if isinstance(obj, User)]
    assert emails, "the world has accounts"
    return (PHONE, CONTACT_EMAIL, CONTACT_PHONE, CONTACT_NAME, *emails)


def public_reads(host: str) -> list:
    _urlconf, public, prefixes, default_host = HOSTS[host]
    return [
        (key, call, default_host)
        for key, calls in (*public.items(), *prefixes.items())
        for call in calls
        if call.method == "get" and call.actor is None and call.status == 200
    ]


@pytest.mark.parametrize("host", ["portal", "subsite"])
def test_no_public_output_carries_personal_data(client, w, planted, host, caplog):
    caplog.set_level(logging.DEBUG)
    reads = public_reads(host)
    assert len(reads) > 10
    for key, call, default_host in reads:
        response = client.get(call.path(w), host=(call.host or default_host)(w))
        if response.status_code != 200:
            continue  # the route guard checks statuses; here only what is shown counts
        body = (
            b"".join(response.streaming_content) if response.streaming else response.content
        ).decode(errors="replace")
        for secret in planted:
            assert secret not in body, (key, call.label, secret)
    for secret in planted:
        assert secret not in caplog.text, secret
