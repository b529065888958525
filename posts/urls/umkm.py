"""UMKM products of every KIM, on the portal at /umkm/."""

from django.urls import path

from posts.views import national

app_name = "umkm"

urlpatterns = [path("", national.umkm_list, name="index")]
