"""Siaran on kelola: staff write and report at siaran/, a KIM's inbox at kim/<slug:slug>/siaran/."""

from django.urls import path

from siaran.views import inbox, staff

app_name = "siaran"

urlpatterns = [
    path("siaran/", staff.siaran_list, name="list"),
    path("siaran/baru/", staff.create, name="create"),
    path("siaran/<int:pk>/", staff.report, name="report"),
    path("siaran/<int:pk>/ubah/", staff.edit, name="edit"),
    path("siaran/<int:pk>/terbitkan/", staff.publish, name="publish"),
    path("siaran/<int:pk>/tarik/", staff.withdraw, name="withdraw"),
    path("siaran/<int:pk>/ingatkan/", staff.remind, name="remind"),
    path("kim/<slug:slug>/siaran/", inbox.inbox, name="inbox"),
    path("kim/<slug:slug>/siaran/<int:pk>/", inbox.detail, name="inbox_detail"),
    path("kim/<slug:slug>/siaran/<int:pk>/teruskan/", inbox.relay, name="relay"),
]
