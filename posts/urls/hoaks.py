"""Hoax clarifications of every KIM, on the portal at /hoaks/."""

from django.urls import path

from posts.views import national

app_name = "hoaks"

urlpatterns = [path("", national.hoax_list, name="index")]
