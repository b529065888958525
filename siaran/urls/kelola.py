"""Siaran on kelola: staff write and report at siaran/, a KIM's inbox at kim/<slug>/siaran/."""

app_name = "siaran"

urlpatterns: list = []
