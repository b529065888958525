"""The staff dashboards on kelola (included from kimportal/urls/kelola.py)."""

from django.urls import path

from stats import views_kelola as views

app_name = "stats_kelola"

urlpatterns = [
    path("statistik/", views.dashboard, name="dashboard"),
    path("statistik/unduh.csv", views.download, name="download"),
]
