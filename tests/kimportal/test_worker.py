"""Celery with a real worker process against real Redis and PostgreSQL (CI sets both)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from communities import services
from tests.factories import make_region_tree, make_staff, make_user
from tests.support import celery_worker_process, require_services, tasks_through_broker, wait_for

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _real_services():
    """A real worker needs PostgreSQL and Redis: skipped without them, a failure under CI."""
    require_services(postgresql=True, redis=True)


def test_submission_email_is_sent_by_a_real_worker(tmp_path):
    regions = make_region_tree()
    make_staff("diskominfo-malang@example.id", "regency", regency=regions.malang)
    applicant = make_user("pendaftar@example.id")
    draft = services.community_draft_start(applicant=applicant)
    services.community_set_village(community=draft, village=regions.sumbersekar)
    services.community_set_identity(community=draft, name="KIM Sumbersekar", slug="kim-sumber")
    services.community_set_decree(
        community=draft,
        number="1/2026",
        decree_date=timezone.localdate(),
        file=SimpleUploadedFile("sk.pdf", b"%PDF-1.4\n%%EOF\n"),
    )
    services.community_set_roster(
        community=draft,
        members=[services.MemberData(name="Ketua", position="ketua")]
        + [services.MemberData(name=f"A{i}", position="anggota") for i in range(9)],
    )
    outbox = tmp_path / "mail"
    outbox.mkdir()
    with celery_worker_process(extra_env={"EMAIL_URL": f"file://{outbox}"}), tasks_through_broker():
        services.community_submit(community=draft, actor=applicant)
        sent = wait_for(lambda: list(outbox.iterdir()))
    message = sent[0].read_text()
    assert "To: diskominfo-malang@example.id" in message
    assert "KIM Sumbersekar" in message


def test_an_emails_body_and_address_stay_out_of_the_workers_log_and_the_outbox(tmp_path):
    """An email may carry an aspirasi's tracking code to a person's address: even a worker logging
    at DEBUG (which prints whole task messages) shows neither, and the sent outbox row forgets
    them."""
    from django.db import transaction

    from kimportal.lib.mail import send_templated_email
    from kimportal.models import OutboxTask

    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()
    code, address = "ASP-RHS1-A2B3-C4D5", "pengirim.rahasia@example.id"
    env = {"EMAIL_URL": f"file://{mail_dir}"}
    with celery_worker_process(extra_env=env, loglevel="DEBUG") as worker:
        with tasks_through_broker(), transaction.atomic():
            send_templated_email(
                template="aspirasi_received",
                to=[address],
                context={"code": code, "target": "Kota Surabaya", "track_url": "http://x/"},
            )
        sent = wait_for(lambda: list(mail_dir.iterdir()))
    log = worker.stdout.read()
    assert code in sent[0].read_text() and address in sent[0].read_text()  # it did go out
    assert "kimportal.tasks.send_email" in log and "succeeded" in log
    assert code not in log and address not in log
    row = OutboxTask.objects.get(task="kimportal.tasks.send_email")
    assert row.sent_at is not None and row.args == [] and row.kwargs == {}
