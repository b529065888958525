"""Public statistics on the portal (included at /statistik/ from kimportal/urls/portal.py)."""

from django.urls import path

from stats import views_portal as views

app_name = "stats_portal"

urlpatterns = [path("", views.index, name="index")]
