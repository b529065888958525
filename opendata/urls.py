"""Open data on the portal, at /data/."""

from django.urls import path

from kimportal.lib.canonical import without_query
from opendata import views

app_name = "opendata"

urlpatterns = [
    path("", views.index, name="index"),
    path("kim.csv", without_query(views.kim_download), {"extension": "csv"}, name="kim_csv"),
    path("kim.json", without_query(views.kim_download), {"extension": "json"}, name="kim_json"),
    *(
        path(
            f"statistik-{level}.{extension}",
            without_query(views.stats_download),
            {"level": level, "extension": extension},
            name=f"stats_{level}_{extension}",
        )
        for level in ("provinsi", "kabupaten")
        for extension in ("csv", "json")
    ),
]
