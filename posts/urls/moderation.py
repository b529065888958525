"""Moderation of posts by Diskominfo staff on kelola, included at moderasi/."""

from django.urls import path

from posts.views import moderation as views

app_name = "moderation"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/setujui/", views.approve, name="approve"),
    path("<int:pk>/tolak/", views.reject, name="reject"),
    path("<int:pk>/turunkan/", views.take_down, name="take_down"),
    path("<int:pk>/abaikan-laporan/", views.dismiss_reports, name="dismiss_reports"),
    path("perubahan/<int:pk>/", views.revision, name="revision"),
    path("perubahan/<int:pk>/setujui/", views.revision_approve, name="revision_approve"),
    path("perubahan/<int:pk>/tolak/", views.revision_reject, name="revision_reject"),
    path("kata/", views.banned_terms, name="banned_terms"),
    path("kata/<int:pk>/hapus/", views.banned_term_delete, name="banned_term_delete"),
]
