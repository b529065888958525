from django.contrib.auth import views as auth_views
from django.urls import path

from accounts import views, views_account, views_mfa
from accounts.forms import SignInForm

app_name = "accounts"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path(
        "masuk/",
        auth_views.LoginView.as_view(
            template_name="accounts/login.html",
            authentication_form=SignInForm,
            redirect_authenticated_user=True,
        ),
        name="login",
    ),
    path("keluar/", auth_views.LogoutView.as_view(), name="logout"),
    path("staf/", views.staff_scopes, name="staff_scopes"),
    path("staf/<int:pk>/hapus/", views.staff_scope_remove, name="staff_scope_remove"),
    # A person's own account (accounts.views_account).
    path("akun/", views_account.account, name="account"),
    path("akun/kata-sandi/", views_account.PasswordChangeView.as_view(), name="password_change"),
    path("akun/sesi/<int:pk>/keluar/", views_account.session_end, name="session_end"),
    path(
        "akun/sesi/keluar-lainnya/", views_account.sessions_end_others, name="sessions_end_others"
    ),
    path("akun/data.json", views_account.data_download, name="data_download"),
    path("akun/hapus/", views_account.account_delete, name="delete"),
    path("lupa-kata-sandi/", views_account.PasswordResetView.as_view(), name="password_reset"),
    path(
        "lupa-kata-sandi/terkirim/",
        views_account.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "lupa-kata-sandi/selesai/",
        views_account.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path(
        "lupa-kata-sandi/<uidb64>/<token>/",
        views_account.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    # Two-step sign-in (accounts.views_mfa).
    path("dua-langkah/", views_mfa.status, name="mfa_status"),
    path("dua-langkah/periksa/", views_mfa.verify, name="mfa_verify"),
    path("dua-langkah/pasang/", views_mfa.setup, name="mfa_setup"),
    path("dua-langkah/kode-cadangan/", views_mfa.recovery_codes, name="mfa_codes"),
    path("dua-langkah/matikan/", views_mfa.disable, name="mfa_disable"),
]
