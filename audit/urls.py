"""The audit log on kelola (included from kimportal/urls/kelola.py)."""

from django.urls import path

from audit import views

app_name = "audit"

urlpatterns = [
    path("audit/", views.log, name="log"),
    path("audit/unduh.csv", views.download, name="download"),
]
