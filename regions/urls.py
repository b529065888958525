from django.urls import path

from regions import views

app_name = "regions"

urlpatterns = [
    path("", views.province_index, name="index"),
    path("<slug:province_slug>/", views.province_detail, name="province"),
    path("<slug:province_slug>/<slug:regency_slug>/", views.regency_detail, name="regency"),
    path(
        "<slug:province_slug>/<slug:regency_slug>/<slug:district_slug>/",
        views.district_detail,
        name="district",
    ),
]
