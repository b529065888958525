"""demo/aspirations.py: aspirations in every state, to KIMs and to regencies."""

from io import StringIO

import pytest
from django.core.management import call_command

from aspirations import services
from aspirations.models import Aspirasi
from demo.aspirations import ASPIRATIONS, seed_aspirations
from demo.seed import seed_demo

pytestmark = pytest.mark.django_db


@pytest.mark.slow
def test_the_demo_seeds_aspirations_in_every_state(settings, django_capture_on_commit_callbacks):
    settings.DEBUG = True
    call_command("load_regions", stdout=StringIO())
    with django_capture_on_commit_callbacks(execute=True):
        report = seed_demo()
    assert len(report.aspirations_created) == len(ASPIRATIONS)
    rows = Aspirasi.objects.all()
    assert {a.status for a in rows} == {
        "diterima", "diteruskan", "ditanggapi", "ditutup", "ditarik", "digabung",
    }  # fmt: skip
    assert rows.filter(is_public=False).exists() and rows.filter(is_spam=True).exists()
    assert rows.filter(community__isnull=True).exists()
    assert rows.filter(community__isnull=False).exists()
    # The code the command prints opens an answered, public aspirasi.
    sample = services.aspirasi_for_code(code=report.sample_tracking_code)
    assert sample.status == "ditanggapi" and sample.is_public
    assert sorted(report.aspirations_created) == sorted(rows.values_list("pk", flat=True))
    assert services.aspirations_escalate_overdue() >= 1
    assert seed_aspirations() == {}  # idempotent
    assert seed_demo().aspirations_created == []
