"""Who may work an aspirasi: aspirations.permissions, and each service's own check.

Expected answers are written by hand per actor of the shared world.
"""

import pytest

from aspirations import permissions, services
from aspirations.models import Aspirasi
from tests.aspirations.helpers import make_aspirasi

pytestmark = pytest.mark.django_db

ACTORS = (
    "a_contributor", "a_editor", "a_admin", "b_admin", "surabaya_admin", "malang_admin",
    "bandung_admin", "jatim_admin", "jabar_admin", "national_admin", "outsider",
)  # fmt: skip

# Who works an aspirasi to KIM A (Surabaya): its editors and admins, and Surabaya's staff.
WORKS_KIM_A = {"a_editor", "a_admin", "surabaya_admin", "jatim_admin", "national_admin"}
# Who works an aspirasi to Kota Surabaya itself: its staff only (not KIM A's members).
WORKS_SURABAYA = {"surabaya_admin", "jatim_admin", "national_admin"}
# Who works an aspirasi to KIM B (Bandung).
WORKS_KIM_B = {"b_admin", "bandung_admin", "jabar_admin", "national_admin"}
STAFF = {"surabaya_admin", "malang_admin", "bandung_admin", "jatim_admin", "jabar_admin",
         "national_admin"}  # fmt: skip


@pytest.fixture
def items(world):
    return {
        "kim_a": make_aspirasi(community=world.kim_a),
        "surabaya": make_aspirasi(regency=world.regions.surabaya),
        "kim_b": make_aspirasi(community=world.kim_b),
    }


@pytest.mark.parametrize("actor", ACTORS)
def test_can_work(world, items, actor):
    user = getattr(world, actor)
    assert permissions.can(user, permissions.WORK, items["kim_a"]) is (actor in WORKS_KIM_A)
    assert permissions.can(user, permissions.WORK, items["surabaya"]) is (actor in WORKS_SURABAYA)
    assert permissions.can(user, permissions.WORK, items["kim_b"]) is (actor in WORKS_KIM_B)
    assert permissions.can(user, permissions.WORK_STAFF_QUEUE) is (actor in STAFF)
    assert permissions.can(user, permissions.WORK_KIM_QUEUE, world.kim_a) is (
        actor in {"a_editor", "a_admin"}
    )


def test_an_inactive_user_works_nothing(world, items):
    world.a_admin.is_active = False
    assert not permissions.can(world.a_admin, permissions.WORK, items["kim_a"])


def _act(name: str, aspirasi: Aspirasi, actor, world):
    if name == "forward":
        return services.aspirasi_forward(aspirasi=aspirasi, actor=actor, office="Dinas PU")
    if name == "answer":
        return services.aspirasi_answer(aspirasi=aspirasi, actor=actor, answer="Jawaban")
    if name == "close":
        return services.aspirasi_close(aspirasi=aspirasi, actor=actor, reason="Selesai")
    if name == "spam":
        return services.aspirasi_mark_spam(aspirasi=aspirasi, actor=actor)
    if name == "merge":
        target = make_aspirasi(community=aspirasi.community, regency=aspirasi.regency)
        return services.aspirasi_merge(aspirasi=aspirasi, actor=actor, into=target)
    raise AssertionError(name)


@pytest.mark.parametrize("action", ["forward", "answer", "close", "spam", "merge"])
@pytest.mark.parametrize("actor", ACTORS)
def test_each_service_checks_permission_itself(world, items, action, actor):
    aspirasi = items["kim_a"]
    user = getattr(world, actor)
    if actor in WORKS_KIM_A:
        _act(action, aspirasi, user, world)
        aspirasi.refresh_from_db()
        assert aspirasi.status != "diterima"
    else:
        with pytest.raises(PermissionError):
            _act(action, aspirasi, user, world)
        assert Aspirasi.objects.get(pk=aspirasi.pk).status == "diterima"


@pytest.mark.parametrize("actor", ["a_admin", "a_editor", "b_admin", "a_contributor"])
def test_kim_members_never_work_the_regency_aspirations(world, items, actor):
    with pytest.raises(PermissionError):
        services.aspirasi_answer(
            aspirasi=items["surabaya"], actor=getattr(world, actor), answer="x"
        )


@pytest.fixture
def second_kim(world):
    """KIM A2, also in Kota Surabaya, with KIM A's admin as its admin too."""
    from tests.factories import make_community, make_role

    kim = make_community(village=world.regions.kapasari, slug="kim-kapasari-dua")
    make_role(kim, world.a_admin, "admin")
    return kim


def test_a_member_of_two_kims_never_merges_across_them(world, second_kim):
    from django.core.exceptions import ValidationError

    mine = make_aspirasi(community=world.kim_a)
    other_kim = make_aspirasi(community=second_kim)
    assert permissions.can(world.a_admin, permissions.WORK, other_kim)
    with pytest.raises(ValidationError):
        services.aspirasi_merge(aspirasi=mine, actor=world.a_admin, into=other_kim)
    # Staff of the regency may: both are in their scope.
    services.aspirasi_merge(aspirasi=mine, actor=world.surabaya_admin, into=other_kim)


def test_a_kims_queue_never_opens_another_kims_aspirasi(client, world, second_kim):
    other_kim = make_aspirasi(community=second_kim, text="Aspirasi KIM kedua")
    client.force_login(world.a_admin)
    url = f"/kim/kim-ketabang/aspirasi/{other_kim.pk}/"
    assert client.get(url, kelola=True).status_code == 404
    response = client.post(url + "tindakan/", {"action": "close", "reason": "x"}, kelola=True)
    assert response.status_code == 404
    assert Aspirasi.objects.get(pk=other_kim.pk).status == "diterima"
    assert (
        client.get(f"/kim/kim-kapasari-dua/aspirasi/{other_kim.pk}/", kelola=True).status_code
        == 200
    )
