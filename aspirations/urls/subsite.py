"""Aspirations to one KIM on its subsite, at /aspirasi/."""

from django.urls import path

from aspirations.views import public as views

app_name = "aspirasi"

urlpatterns = [
    path("", views.kim_send, name="send"),
    path("daftar/", views.kim_index, name="index"),
]
