"""Counting reads on subsites (the view beacon)."""

app_name = "stats"

urlpatterns: list = []
