"""The aspirations queues on kelola: aspirasi/ (staff) and kim/<slug>/aspirasi/ (a KIM)."""

from django.urls import path

from aspirations.views import queue as views

app_name = "aspirasi"

urlpatterns = [
    path("aspirasi/", views.staff_queue, name="staff_queue"),
    path("aspirasi/<int:pk>/", views.staff_detail, name="staff_detail"),
    path("aspirasi/<int:pk>/tindakan/", views.staff_act, name="staff_act"),
    path("aspirasi/<int:pk>/foto/", views.staff_photo, name="staff_photo"),
    path("kim/<slug:slug>/aspirasi/", views.kim_queue, name="kim_queue"),
    path("kim/<slug:slug>/aspirasi/<int:pk>/", views.kim_detail, name="kim_detail"),
    path("kim/<slug:slug>/aspirasi/<int:pk>/tindakan/", views.kim_act, name="kim_act"),
    path("kim/<slug:slug>/aspirasi/<int:pk>/foto/", views.kim_photo, name="kim_photo"),
]
