from django.contrib import admin

from stats.models import PostVisitDay


@admin.register(PostVisitDay)
class PostVisitDayAdmin(admin.ModelAdmin):
    list_display = ("post", "community", "day", "count")
    raw_id_fields = ("post", "community")
