"""Open data on the portal, at /data/."""

from django.urls import path

from opendata import views

app_name = "opendata"

urlpatterns = [
    path("", views.index, name="index"),
    path("kim.csv", views.kim_download, {"extension": "csv"}, name="kim_csv"),
    path("kim.json", views.kim_download, {"extension": "json"}, name="kim_json"),
    *(
        path(
            f"statistik-{level}.{extension}",
            views.stats_download,
            {"level": level, "extension": extension},
            name=f"stats_{level}_{extension}",
        )
        for level in ("provinsi", "kabupaten")
        for extension in ("csv", "json")
    ),
]
