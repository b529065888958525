"""demo/siaran.py: siaran at three levels with relays (published and draft) and visits."""

from io import StringIO

import pytest
from django.core.management import call_command

from demo.seed import seed_demo
from demo.siaran import SIARAN, seed_siaran
from posts.models import Post
from siaran.models import Relay, Siaran
from stats.models import PostVisitDay

pytestmark = pytest.mark.django_db


@pytest.mark.slow
def test_the_demo_seeds_siaran_with_relays_and_visits(settings, django_capture_on_commit_callbacks):
    settings.DEBUG = True
    call_command("load_regions", stdout=StringIO())
    with django_capture_on_commit_callbacks(execute=True):
        report = seed_demo()
    assert report.siaran_created == [spec.title for spec in SIARAN]
    assert set(Siaran.objects.values_list("status", flat=True)) == {"published"}
    statuses = sorted(Relay.objects.values_list("post__status", flat=True))
    assert statuses.count(Post.Status.PUBLISHED) == 3 and Post.Status.DRAFT in statuses
    assert PostVisitDay.objects.exists()
    assert all(s.images.get().status == "ready" for s in Siaran.objects.all())
    with django_capture_on_commit_callbacks(execute=True):
        assert seed_siaran() == []  # idempotent
        assert seed_demo().siaran_created == []
