"""Builders for siaran tests."""

from django.utils import timezone

from siaran.models import Siaran


def make_siaran(
    author, *, title="Siaran vaksinasi", national=False, provinces=(), regencies=(),
    status="published", **fields,
) -> Siaran:  # fmt: skip
    from django.utils.text import slugify

    now = timezone.now()
    siaran = Siaran.objects.create(
        author=author,
        office_name=fields.pop("office_name", "Diskominfo"),
        title=title,
        slug=slugify(title),
        body=fields.pop("body", "Isi siaran."),
        body_html=fields.pop("body_html", "<p>Isi siaran.</p>"),
        national=national,
        status=status,
        published_at=now if status != "draft" else None,
        inbox_at=fields.pop("inbox_at", now if status != "draft" else None),
        valid_from=fields.pop("valid_from", now - timezone.timedelta(minutes=1)),
        **fields,
    )
    siaran.provinces.set(provinces)
    siaran.regencies.set(regencies)
    return siaran
