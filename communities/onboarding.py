"""A new KIM's first steps, shown on its dashboard until they are all done (issue 11).

Each step ticks itself off from what the KIM has done; nobody ticks a box by hand.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from communities.models import Community, Invitation, Role
from posts.models import Post
from stats.models import PostVisitDay


@dataclass(frozen=True)
class Step:
    key: str
    title: str
    hint: str
    done: bool


def checklist(community: Community) -> list[Step]:
    """Four steps, four cheap queries at most (EXISTS each)."""
    has_profile = bool(community.logo) and bool(community.about.strip())
    has_team = (
        Role.objects.filter(community=community).count() > 1
        or Invitation.objects.filter(community=community).exists()
    )
    has_post = Post.objects.filter(community=community, status=Post.Status.PUBLISHED).exists()
    has_readers = PostVisitDay.objects.filter(community=community).exists()
    return [
        Step("profil", _("Lengkapi logo dan profil"),
             _("Unggah logo dan tulis tentang KIM Anda."), has_profile),
        Step("anggota", _("Undang anggota"),
             _("Undang pengurus lain sebagai kontributor atau editor."), has_team),
        Step("tulisan", _("Terbitkan tulisan pertama"),
             _("Ceritakan kegiatan terakhir KIM Anda, dengan foto."), has_post),
        Step("bagikan", _("Bagikan alamat situs KIM"),
             _("Kirim alamat situs ke grup warga; selesai saat pembaca pertama datang."),
             has_readers),
    ]  # fmt: skip
