"""Operators may look at the region tree; it changes only through `manage.py load_regions`."""

from django.contrib import admin

from regions.models import District, Province, Regency, Village


class ReadOnlyAdmin(admin.ModelAdmin):
    search_fields = ["code", "name"]
    list_per_page = 100

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Province)
class ProvinceAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "slug"]


@admin.register(Regency)
class RegencyAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "kind", "province"]
    list_filter = ["kind", "province"]
    list_select_related = ["province"]


@admin.register(District)
class DistrictAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "regency"]
    list_select_related = ["regency"]
    show_full_result_count = False


@admin.register(Village)
class VillageAdmin(ReadOnlyAdmin):
    list_display = ["code", "name", "kind", "district"]
    list_filter = ["kind"]
    list_select_related = ["district"]
    show_full_result_count = False
