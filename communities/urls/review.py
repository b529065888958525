from django.urls import path

from communities.views import review as views

app_name = "review"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("semua/", views.community_list, name="list"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/sk/", views.decree_file, name="decree_file"),
    path("<int:pk>/verifikasi/", views.verify, name="verify"),
    path("<int:pk>/tolak/", views.reject, name="reject"),
    path("<int:pk>/bekukan/", views.suspend, name="suspend"),
    path("<int:pk>/aktifkan/", views.reinstate, name="reinstate"),
    path("<int:pk>/alamat/", views.change_slug, name="change_slug"),
    path("<int:pk>/tepercaya/", views.set_trusted, name="set_trusted"),
]
