"""Aspirations to one KIM on its subsite, at /aspirasi/."""

app_name = "aspirasi"

urlpatterns: list = []
