"""A new KIM's first-run checklist ticks itself off (issue 11)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from communities.models import Invitation
from communities.onboarding import checklist
from stats.models import PostVisitDay
from tests.factories import make_post

pytestmark = pytest.mark.django_db


def done(community) -> dict[str, bool]:
    return {step.key: step.done for step in checklist(community)}


def test_each_step_ticks_itself_off(world, django_assert_max_num_queries):
    kim = world.kim_a
    kim.about, kim.logo = "", ""
    kim.save()
    kim.roles.exclude(user=world.a_admin).delete()
    Invitation.objects.filter(community=kim).delete()
    with django_assert_max_num_queries(4):
        assert done(kim) == {"profil": False, "anggota": False, "tulisan": False, "bagikan": False}

    kim.about = "KIM warga Ketabang."
    kim.logo = SimpleUploadedFile("logo.png", b"x")
    assert done(kim)["profil"] is True
    kim.about = "   "
    assert done(kim)["profil"] is False  # a blank text is no profile

    kim.roles.create(user=world.a_editor, role="editor")
    assert done(kim)["anggota"] is True

    draft = make_post(kim, title="Masih draf")
    assert done(kim)["tulisan"] is False
    post = make_post(kim, title="Kabar pertama", status="published")
    assert done(kim)["tulisan"] is True
    assert draft.pk != post.pk

    PostVisitDay.objects.create(post=post, community=kim, day="2026-11-30", count=3)
    assert done(kim)["bagikan"] is True
    assert done(world.kim_b)["bagikan"] is False  # another KIM's readers are not this KIM's


def test_the_dashboard_shows_the_steps_to_admins_until_all_are_done(client, world):
    kim = world.kim_a
    kim.about = ""
    kim.save()
    client.force_login(world.a_admin)
    page = client.get("/kim/kim-ketabang/", kelola=True).content.decode()
    assert "Langkah pertama KIM Anda" in page
    assert "https://wa.me/?text=" in page and "kim-ketabang" in page

    client.force_login(world.a_contributor)  # not an admin: nothing to do here
    assert "Langkah pertama" not in client.get("/kim/kim-ketabang/", kelola=True).content.decode()

    kim.about = "KIM warga Ketabang."
    kim.logo = SimpleUploadedFile("logo.png", b"x")
    kim.save()
    kim.roles.get_or_create(user=world.a_editor, defaults={"role": "editor"})
    post = make_post(kim, title="Kabar pertama", status="published")
    PostVisitDay.objects.create(post=post, community=kim, day="2026-11-30", count=1)
    client.force_login(world.a_admin)
    assert "Langkah pertama" not in client.get("/kim/kim-ketabang/", kelola=True).content.decode()
