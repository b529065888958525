"""Search on the portal: /cari/ (see kimportal.urls.portal)."""

from django.urls import path

from posts.views import search as views

app_name = "search"

urlpatterns = [path("", views.portal_search, name="index")]
