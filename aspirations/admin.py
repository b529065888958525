"""Operators' view of aspirations: status and history only. The sender's contact and the photo
stay in the queue on kelola (contacts never leave it), so they are not shown here."""

from django.contrib import admin

from aspirations.models import Aspirasi, AspirasiEvent


class AspirasiEventInline(admin.TabularInline):
    model = AspirasiEvent
    fields = ("created_at", "action", "actor", "is_public", "public_text")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Aspirasi)
class AspirasiAdmin(admin.ModelAdmin):
    list_display = ("pk", "topic", "status", "community", "regency", "is_public", "created_at")
    list_filter = ("status", "topic", "is_public", "is_spam")
    list_select_related = ("community", "regency")
    fields = (
        "community", "regency", "province", "village", "topic", "text", "is_public", "status",
        "is_spam", "duplicate_of", "answer", "forwarded_to", "close_reason", "photo_status",
        "acted_at", "escalated_at", "created_at",
    )  # fmt: skip
    readonly_fields = fields
    inlines = [AspirasiEventInline]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
