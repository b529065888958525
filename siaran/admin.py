"""Operators' view of siaran (Django admin); staff work on kelola."""

from django.contrib import admin

from siaran.models import Relay, Reminder, Siaran


@admin.register(Siaran)
class SiaranAdmin(admin.ModelAdmin):
    list_display = ("title", "office_name", "status", "national", "published_at")
    list_filter = ("status", "national")
    search_fields = ("title", "office_name")
    raw_id_fields = ("author",)
    filter_horizontal = ("provinces",)
    readonly_fields = ("body_html", "inbox_at")


@admin.register(Relay)
class RelayAdmin(admin.ModelAdmin):
    list_display = ("siaran", "community", "post", "created_at")
    raw_id_fields = ("siaran", "community", "post", "created_by")


@admin.register(Reminder)
class ReminderAdmin(admin.ModelAdmin):
    list_display = ("siaran", "area", "day", "community_count", "finished_at")
    raw_id_fields = ("siaran", "created_by")
