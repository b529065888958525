"""Indonesia's administrative regions, keyed by their Kemendagri codes ("32.73.01.1002")."""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

PORTAL_URLCONF = "kimportal.urls.portal"


class Region(models.Model):
    code = models.CharField(_("kode"), max_length=13, primary_key=True)
    name = models.CharField(_("nama"), max_length=120)
    # Unique among siblings only; a region is addressed by the slugs of its whole path.
    slug = models.SlugField(_("slug"), max_length=140)

    class Meta:
        abstract = True
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Province(Region):
    class Meta(Region.Meta):
        verbose_name = _("provinsi")
        verbose_name_plural = _("provinsi")
        constraints = [models.UniqueConstraint(fields=["slug"], name="regions_province_slug_uq")]

    def get_absolute_url(self) -> str:
        return reverse("regions:province", args=[self.slug], urlconf=PORTAL_URLCONF)

    @property
    def ancestors(self) -> list[Region]:
        return []


class Regency(Region):
    class Kind(models.TextChoices):
        KABUPATEN = "kabupaten", _("Kabupaten")
        KOTA = "kota", _("Kota")

    province = models.ForeignKey(
        Province, on_delete=models.PROTECT, related_name="regencies", verbose_name=_("provinsi")
    )
    kind = models.CharField(_("jenis"), max_length=10, choices=Kind.choices)

    class Meta(Region.Meta):
        verbose_name = _("kabupaten/kota")
        verbose_name_plural = _("kabupaten/kota")
        constraints = [
            models.UniqueConstraint(fields=["province", "slug"], name="regions_regency_slug_uq")
        ]

    def get_absolute_url(self) -> str:
        return reverse(
            "regions:regency", args=[self.province.slug, self.slug], urlconf=PORTAL_URLCONF
        )

    @property
    def ancestors(self) -> list[Region]:
        return [self.province]


class District(Region):
    regency = models.ForeignKey(
        Regency,
        on_delete=models.PROTECT,
        related_name="districts",
        verbose_name=_("kabupaten/kota"),
    )

    class Meta(Region.Meta):
        verbose_name = _("kecamatan")
        verbose_name_plural = _("kecamatan")
        constraints = [
            models.UniqueConstraint(fields=["regency", "slug"], name="regions_district_slug_uq")
        ]

    def get_absolute_url(self) -> str:
        regency = self.regency
        return reverse(
            "regions:district",
            args=[regency.province.slug, regency.slug, self.slug],
            urlconf=PORTAL_URLCONF,
        )

    @property
    def ancestors(self) -> list[Region]:
        return [self.regency.province, self.regency]


class Village(Region):
    class Kind(models.TextChoices):
        KELURAHAN = "kelurahan", _("Kelurahan")
        DESA = "desa", _("Desa")
        DESA_ADAT = "desa_adat", _("Desa adat")

    district = models.ForeignKey(
        District, on_delete=models.PROTECT, related_name="villages", verbose_name=_("kecamatan")
    )
    kind = models.CharField(_("jenis"), max_length=10, choices=Kind.choices)

    class Meta(Region.Meta):
        verbose_name = _("desa/kelurahan")
        verbose_name_plural = _("desa/kelurahan")
        constraints = [
            models.UniqueConstraint(fields=["district", "slug"], name="regions_village_slug_uq")
        ]

    @property
    def ancestors(self) -> list[Region]:
        district = self.district
        return [district.regency.province, district.regency, district]
