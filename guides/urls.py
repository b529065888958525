"""Guides on the portal, at /panduan/."""

from django.urls import path

from guides import views

app_name = "guides"

urlpatterns = [
    path("", views.index, name="index"),
    path("<slug:slug>/", views.detail, name="detail"),
]
