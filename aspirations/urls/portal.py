"""Aspirations on the portal, at /aspirasi/."""

app_name = "aspirasi"

urlpatterns: list = []
