"""The partials the lead includes in the KIM overview and the staff dashboard."""

import pytest
from django.template import Context, Template

from tests.factories import make_post
from tests.siaran.helpers import make_siaran

pytestmark = pytest.mark.django_db


@pytest.fixture
def kelola_urls():
    """Render as on kelola (the partials are included in kelola pages)."""
    from django.urls import set_urlconf

    from kimportal.lib.hosts import SiteKind
    from kimportal.lib.links import URLCONFS

    set_urlconf(URLCONFS[SiteKind.KELOLA])
    yield
    set_urlconf(None)


def test_dashboard_partials(world, django_assert_num_queries, kelola_urls):
    make_siaran(world.national_admin, national=True)
    make_post(world.kim_a)  # unrelated
    template = Template('{% include "siaran/_kim_overview.html" %}')
    with django_assert_num_queries(1):
        html = template.render(Context({"community": world.kim_a}))
    assert "1 siaran baru" in html and "/kim/kim-ketabang/siaran/" in html
    html = Template('{% include "siaran/_staff_dashboard.html" %}').render(
        Context({"user": world.jatim_admin})
    )
    assert "/siaran/baru/" in html and "Tulis siaran" in html
