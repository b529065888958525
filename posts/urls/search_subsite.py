"""Search on a KIM's subsite: /cari/ (see kimportal.urls.subsite)."""

from django.urls import path

from posts.views import search as views

app_name = "search"

urlpatterns = [path("", views.subsite_search, name="index")]
