"""The sign-up wizard of a new KIM, served on the kelola host under /daftar/."""

from django.urls import path

from communities.views import signup as views

app_name = "signup"

urlpatterns = [
    path("", views.start, name="start"),
    path("terkirim/", views.sent, name="sent"),
    path("akun/<str:token>/", views.account, name="account"),
    path("wilayah/<str:code>/", views.region_children, name="region_children"),
    path("<int:pk>/desa/", views.village, name="village"),
    path("<int:pk>/nama/", views.identity, name="identity"),
    path("<int:pk>/sk/", views.decree, name="decree"),
    path("<int:pk>/sk/berkas/", views.decree_file, name="decree_file"),
    path("<int:pk>/anggota/", views.roster, name="roster"),
    path("<int:pk>/tinjau/", views.review, name="review"),
]
