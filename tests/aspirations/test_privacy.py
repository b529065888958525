"""Contact details never leave the queue: not on public pages or feeds, not in emails to anyone
but the sender, not in logs, not in Django's error reports. Neither does the tracking code."""

import logging
import re
import sys

import pytest
from django.core import mail
from django.test import RequestFactory
from django.views.debug import ExceptionReporter

from aspirations import codes, services
from aspirations.models import Aspirasi
from aspirations.views import public as public_views
from kimportal.lib.hosts import SiteKind
from kimportal.lib.links import host_for
from tests.aspirations.helpers import CONTACT, EMAIL, NAME, PHONE, form_data, make_aspirasi

pytestmark = pytest.mark.django_db

KIM_A = host_for(SiteKind.COMMUNITY, "kim-ketabang")


# Values that vary from run to run and can hold a short secret such as "0813" by chance, none of
# which is a leak: memory addresses ("<... at 0x7fdc808136a0>"), the frame ids of Django's HTML
# error report (id="pre140583608136784"), uuids (Celery task ids), task run times (0.00813 s)
# and the fractions of Unix and ISO times (1764608012.0813453, an empty feed's 16:56:09.081312).
_VARYING = re.compile(
    r"\b0x[0-9a-f]+\b"
    r"|\b(?:c|pre|post|v)[0-9]{6,}\b"
    r"|\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b"
    r"|\b0\.[0-9]+|\b[0-9]{10}\.[0-9]+"
    r"|(?<=:[0-9]{2})\.[0-9]+"
)


def _absent(text: str, *also: str) -> None:
    text = _VARYING.sub("…", text)
    for secret in (*CONTACT, *also):
        assert secret not in text, secret


@pytest.fixture
def sent(world):
    """Aspirations with a contact, in every state a public page can show."""
    contact = {"contact_name": NAME, "contact_phone": PHONE, "contact_email": EMAIL}
    items = [
        make_aspirasi(community=world.kim_a, **contact),
        make_aspirasi(regency=world.regions.surabaya, status="ditanggapi", answer="Jawaban",
                      **contact),
        make_aspirasi(community=world.kim_a, status="diteruskan", forwarded_to="Dinas PU",
                      **contact),
    ]  # fmt: skip
    original = items[0]
    items.append(
        make_aspirasi(community=world.kim_a, status="digabung", duplicate_of=original, **contact)
    )
    return items


def test_public_pages_and_feeds_carry_no_contact(client, sent):
    pages = [
        client.get("/aspirasi/"),
        client.get("/aspirasi/?wilayah=35.78"),
        client.get("/aspirasi/daftar/", host=KIM_A),
        client.get("/feed/"),
        client.get("/", host=KIM_A),
        *(client.get(f"/aspirasi/{a.pk}/") for a in sent),
    ]
    for response in pages:
        assert response.status_code == 200
        _absent(response.content.decode())


def test_the_tracking_page_shows_no_contact_either(client, sent):
    page = client.post("/aspirasi/lacak/", {"code": sent[0].code}).content.decode()
    assert sent[0].text in page
    _absent(page)


def test_the_sent_page_shows_the_code_but_no_contact(client, world):
    page = client.post("/aspirasi/kirim/", form_data()).content.decode()
    assert "ASP-" in page
    _absent(page)


def test_emails_to_others_carry_no_contact_nor_code(world, django_capture_on_commit_callbacks):
    from datetime import timedelta

    from django.utils import timezone

    data = services.Submission(
        topic="ekonomi",
        text="Pasar desa butuh penerangan di malam hari agar pedagang aman.",
        village=None,
        contact_name=NAME,
        contact_phone=PHONE,
        contact_email=EMAIL,
    )
    with django_capture_on_commit_callbacks(execute=True):
        aspirasi, code = services.aspirasi_submit(
            community=world.kim_a, regency=world.regions.surabaya, data=data, address="192.0.2.1"
        )
        services.aspirasi_forward(aspirasi=aspirasi, actor=world.a_admin, office="Dinas Pasar")
        services.aspirasi_answer(aspirasi=aspirasi, actor=world.a_admin, answer="Sudah dipasang")
        Aspirasi.objects.filter(pk=aspirasi.pk).update(
            status="diterima", acted_at=timezone.now() - timedelta(days=30)
        )
        services.aspirations_escalate_overdue()
    others = [m for m in mail.outbox if m.to != [EMAIL]]
    assert {m.to[0] for m in others} >= {"a-admin@example.id", "diskominfo-jatim@example.id"}
    for message in others:
        _absent(message.subject + message.body + message.alternatives[0][0], code)
    to_sender = [m for m in mail.outbox if m.to == [EMAIL]]
    assert len(to_sender) == 3  # received (with the code), forwarded, answered


_RECORD_FIELDS = frozenset(vars(logging.LogRecord("", 0, "", 0, "", (), None))) | {"message"}


class _Everything(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.texts: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.texts.append(self.format(record))
        # Celery's trace records carry every task's arguments as structured data (never in the
        # line our LOGGING format writes): the email task's include its recipient and body.
        if record.name != "celery.app.trace":
            # What a handler could write beyond the line: the message, its arguments and any
            # `extra` fields (not the clock, thread and process numbers every record has).
            extra = {k: v for k, v in vars(record).items() if k not in _RECORD_FIELDS}
            self.texts.append(repr((record.msg, record.args, extra)))


@pytest.fixture
def all_logs():
    handler = _Everything()
    root = logging.getLogger()
    previous = root.level
    root.addHandler(handler)
    root.setLevel(logging.DEBUG)
    try:
        yield handler
    finally:
        root.removeHandler(handler)
        root.setLevel(previous)


def test_nothing_is_logged_of_the_contact_or_code(
    client, world, settings, all_logs, django_capture_on_commit_callbacks
):
    settings.ASPIRATIONS_PER_HOUR = 1
    with django_capture_on_commit_callbacks(execute=True):
        ok = client.post("/aspirasi/kirim/", form_data())
    code = ok.content.decode().split('class="asp-code"><strong>')[1].split("<")[0]
    # Refusals: a bad village, the rate limit (a 429, which Django logs), a bad tracking code.
    client.post("/aspirasi/kirim/", form_data(village="Tidak Ada"))
    refused = client.post("/aspirasi/kirim/", form_data())
    assert refused.status_code == 429
    client.post("/aspirasi/lacak/", {"code": code})
    client.post("/aspirasi/lacak/tarik/", {"code": code, "confirm": "on"})
    assert any("429" in t or "Too Many" in t for t in all_logs.texts)  # the handler did work
    for text in all_logs.texts:
        _absent(text, code, codes.normalize(code))


def test_error_reports_hide_the_contact_and_code(world, monkeypatch):
    def boom(*args, **kwargs):
        raise RuntimeError("storage down")

    monkeypatch.setattr(services, "_notify_workers", boom)
    request = RequestFactory().post("/aspirasi/kirim/", form_data(), HTTP_HOST="localhost")
    request.site = None
    try:
        public_views.send(request)
    except RuntimeError:
        info = sys.exc_info()
    else:  # pragma: no cover
        raise AssertionError("the view did not fail")
    reporter = ExceptionReporter(request, *info)
    for report in (reporter.get_traceback_text(), reporter.get_traceback_html()):
        assert "storage down" in report
        _absent(report)
        assert "Jalan di depan balai RW 03" not in report  # the text is hidden too


def test_error_reports_hide_a_tracking_code(world, monkeypatch):
    aspirasi = make_aspirasi(community=world.kim_a)

    def boom(aspirasi, code):
        raise RuntimeError("template broke")

    monkeypatch.setattr(public_views, "_tracked", boom)
    request = RequestFactory().post("/aspirasi/lacak/", {"code": aspirasi.code})
    try:
        public_views.track(request)
    except RuntimeError:
        info = sys.exc_info()
    reporter = ExceptionReporter(request, *info)
    for report in (reporter.get_traceback_text(), reporter.get_traceback_html()):
        assert "template broke" in report
        assert aspirasi.code not in report


def test_the_leak_check_skips_varying_numbers_but_not_a_phone():
    _absent("<RuntimeError object at 0x7fdc808136a0>")
    _absent('<ol class="pre-context" id="pre140583608136784">')
    _absent("Task 3f081399-aaaa-4bbb-8ccc-0123456789ab succeeded in 0.00813s: None")
    _absent("created 1764608012.0813453")
    _absent("<updated>2026-12-01T16:56:09.081312+00:00</updated>")
    leaks = ("hubungi 0813 di 0x7fdc80", "nomor: 0813-9876-5432", "hp 0813.9876.5432")
    for leak in leaks:
        with pytest.raises(AssertionError):
            _absent(leak)
