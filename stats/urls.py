"""Counting reads on subsites (the view beacon)."""

from django.urls import path

from stats import views

app_name = "stats"

urlpatterns = [path("v/<int:post_id>.gif", views.visit, name="visit")]
