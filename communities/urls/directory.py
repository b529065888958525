from django.urls import path

from communities.views import directory as views

app_name = "directory"

urlpatterns = [
    path("", views.index, name="index"),
]
