"""Current siaran on the portal, at /siaran/."""

from django.urls import path

from siaran.views import portal

app_name = "siaran"

urlpatterns = [
    path("", portal.index, name="index"),
    path("<int:pk>-<slug:slug>/", portal.detail, name="detail"),
    path("<int:pk>/lampiran.pdf", portal.attachment, name="attachment"),
]
