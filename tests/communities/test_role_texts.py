"""What the roles page says each role does is what the post flow does (issue 11)."""

import pytest

from posts import services
from posts.models import Post
from tests.factories import make_post

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_roles_page_says_contributors_send_to_diskominfo(client, world):
    client.force_login(world.a_admin)
    page = client.get("/kim/kim-ketabang/peran/", kelola=True).content.decode()
    assert "Kontributor menulis tulisannya sendiri dan mengirimnya untuk diperiksa" in page
    assert "Kontributor menulis draf;" not in page


@pytest.mark.parametrize(("actor", "trusted", "status"), [
    ("a_contributor", True, Post.Status.SUBMITTED),  # never straight on air, even when trusted
    ("a_editor", False, Post.Status.SUBMITTED),
    ("a_editor", True, Post.Status.PUBLISHED),  # "bila KIM tepercaya, menerbitkan"
])  # fmt: skip
def test_a_submitted_post_goes_where_the_text_says(world, actor, trusted, status):
    kim = world.kim_a
    kim.is_trusted = trusted
    kim.save()
    user = getattr(world, actor)
    post = make_post(kim, title="Kabar warga", author=user, body="Kerja bakti di RW 03.")
    services.post_submit(post=post, actor=user)
    post.refresh_from_db()
    assert post.status == status
