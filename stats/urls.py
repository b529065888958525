"""Counting reads on subsites (the view beacon)."""

from django.urls import path, register_converter

from stats import views


class PostIdConverter:
    """A post id as the beacon takes it: at most 18 digits, so it fits PostgreSQL's bigint (the
    flush looks the ids up; one out of range would fail the whole day's hash)."""

    regex = "[0-9]{1,18}"

    def to_python(self, value: str) -> int:
        return int(value)

    def to_url(self, value: int) -> str:
        return str(value)


register_converter(PostIdConverter, "post_id")

app_name = "stats"

urlpatterns = [path("v/<post_id:post_id>.gif", views.visit, name="visit")]
