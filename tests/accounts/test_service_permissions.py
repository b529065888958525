"""The permission check of accounts/services.py, called directly: only national admins manage
staff scopes; anyone else gets PermissionError and nothing is written."""

import pytest

from accounts import services
from accounts.models import StaffScope

pytestmark = pytest.mark.django_db

NOT_NATIONAL = ("jatim_admin", "surabaya_admin", "a_admin", "outsider")


def scopes() -> list:
    return list(StaffScope.objects.order_by("pk").values_list("pk", "user", "level", "province"))


@pytest.mark.parametrize("actor", NOT_NATIONAL)
def test_only_national_admins_add_staff_scopes(world, actor):
    before = scopes()
    with pytest.raises(PermissionError):
        services.staff_scope_add(
            actor=getattr(world, actor),
            email=world.outsider.email,
            level=StaffScope.Level.PROVINCE,
            province=world.regions.jatim,
        )
    assert scopes() == before


@pytest.mark.parametrize("actor", NOT_NATIONAL)
def test_only_national_admins_remove_staff_scopes(world, actor):
    before = scopes()
    with pytest.raises(PermissionError):
        services.staff_scope_remove(
            actor=getattr(world, actor), scope=StaffScope.objects.get(user=world.malang_admin)
        )
    assert scopes() == before
