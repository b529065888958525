"""Aspirations on the portal, at /aspirasi/."""

from django.urls import path

from aspirations.views import public as views

app_name = "aspirasi"

urlpatterns = [
    path("", views.index, name="index"),
    path("kirim/", views.send, name="send"),
    path("lacak/", views.track, name="track"),
    path("lacak/tarik/", views.withdraw, name="withdraw"),
    path("<int:number>/", views.detail, name="detail"),
]
