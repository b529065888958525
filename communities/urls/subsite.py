from django.urls import path

from communities.views import subsite as views

app_name = "subsite"

urlpatterns = [
    path("", views.home, name="home"),
    path("profil/", views.profile, name="profile"),
    path("pengurus/", views.roster, name="roster"),
    path("kontak/", views.contact, name="contact"),
    path("tema.css", views.theme, name="theme"),
]
