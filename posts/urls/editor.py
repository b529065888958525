"""A KIM's posts on kelola, included at kim/<slug:slug>/tulisan/ (every view receives `slug`)."""

from django.urls import path

from posts.views import editor as views

app_name = "posts"

urlpatterns = [
    path("", views.post_list, name="list"),
    path("baru/", views.create, name="create"),
    path("<int:pk>/", views.edit, name="edit"),
    path("<int:pk>/kirim/", views.submit, name="submit"),
    path("<int:pk>/autosimpan/", views.autosave, name="autosave"),
    path("<int:pk>/foto/status/", views.photo_status, name="photo_status"),
    path("<int:pk>/foto/<int:image_pk>/", views.photo_edit, name="photo_edit"),
    path("<int:pk>/foto/<int:image_pk>/hapus/", views.photo_delete, name="photo_delete"),
]
