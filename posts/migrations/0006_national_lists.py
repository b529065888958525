# The national hoax and UMKM lists (issue 9): a UMKM category on posts and revisions, sources as
# text with optional links (issue 11), and partial indexes for /hoaks/ and /umkm/.
from django.db import migrations, models

PUBLIC = (("hidden_by_reports", False), ("status", "published"))
PUBLIC_HOAKS = models.Q(*PUBLIC, ("kind", "hoaks"))
PUBLIC_UMKM = models.Q(*PUBLIC, ("kind", "umkm"))
CATEGORIES = [
    ("kuliner", "Kuliner"),
    ("kerajinan", "Kerajinan"),
    ("fesyen", "Fesyen"),
    ("pertanian", "Pertanian"),
    ("perikanan", "Perikanan"),
    ("peternakan", "Peternakan"),
    ("jasa", "Jasa"),
    ("lainnya", "Lainnya"),
]


def _index(name: str, condition: models.Q, *fields: str) -> migrations.AddIndex:
    return migrations.AddIndex(
        model_name="post",
        index=models.Index(
            condition=condition, fields=[*fields, "-published_at", "-id"], name=name
        ),
    )


class Migration(migrations.Migration):
    dependencies = [("posts", "0005_public_indexes")]

    operations = [
        migrations.AddField(
            model_name="post",
            name="umkm_category",
            field=models.CharField(
                blank=True, choices=CATEGORIES, max_length=12, verbose_name="kategori UMKM"
            ),
        ),
        migrations.AddField(
            model_name="postrevision",
            name="umkm_category",
            field=models.CharField(
                blank=True, choices=CATEGORIES, max_length=12, verbose_name="kategori UMKM"
            ),
        ),
        migrations.AlterField(
            model_name="post",
            name="sources",
            field=models.TextField(
                blank=True,
                help_text="Satu sumber per baris, boleh memuat tautan",
                verbose_name="sumber",
            ),
        ),
        _index("post_public_hoaks_idx", PUBLIC_HOAKS),
        _index("post_public_hoaks_verdict_idx", PUBLIC_HOAKS, "verdict"),
        _index("post_public_hoaks_prov_idx", PUBLIC_HOAKS, "province"),
        _index("post_public_hoaks_reg_idx", PUBLIC_HOAKS, "regency"),
        _index("post_public_umkm_idx", PUBLIC_UMKM),
        _index("post_public_umkm_cat_idx", PUBLIC_UMKM, "umkm_category"),
        _index("post_public_umkm_prov_idx", PUBLIC_UMKM, "province"),
        _index("post_public_umkm_reg_idx", PUBLIC_UMKM, "regency"),
    ]
