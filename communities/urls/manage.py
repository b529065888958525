from django.urls import path

from communities.views import manage as views

app_name = "manage"

urlpatterns = [
    path("kim/<slug:slug>/", views.overview, name="overview"),
    path("kim/<slug:slug>/profil/", views.profile, name="profile"),
    path("kim/<slug:slug>/anggota/", views.roster, name="roster"),
    path("kim/<slug:slug>/anggota/tambah/", views.member_add, name="member_add"),
    path("kim/<slug:slug>/anggota/<int:member_pk>/", views.member_edit, name="member_edit"),
    path(
        "kim/<slug:slug>/anggota/<int:member_pk>/hapus/",
        views.member_delete,
        name="member_delete",
    ),
    path("kim/<slug:slug>/peran/", views.roles, name="roles"),
    path("kim/<slug:slug>/peran/<int:role_pk>/", views.role_edit, name="role_edit"),
    path(
        "kim/<slug:slug>/undangan/<int:invitation_pk>/batal/",
        views.invitation_revoke,
        name="invitation_revoke",
    ),
    path("kim/<slug:slug>/keluar/", views.leave, name="leave"),
    path("undangan/<str:token>/", views.invitation_accept, name="invitation_accept"),
]
