from django.contrib import admin

from kimportal.lib.admin import EstimatedCountPaginator
from stats.models import PostVisitDay


@admin.register(PostVisitDay)
class PostVisitDayAdmin(admin.ModelAdmin):
    list_display = ("post", "community", "day", "count")
    raw_id_fields = ("post", "community")
    # One row per post and day: never counted whole (see EstimatedCountPaginator).
    paginator = EstimatedCountPaginator
    show_full_result_count = False
