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
