"""A KIM's posts on its subsite, at /kabar/ (see kimportal.urls.subsite)."""

from django.urls import path

from posts.views import public as views

app_name = "kabar"

urlpatterns = [
    path("", views.post_list, name="list"),
    path("<slug:slug>/", views.post_detail, name="detail"),
    path("<slug:slug>/laporkan/", views.post_report, name="report"),
]
