"""A person's own account on the kelola host (/akun/): password, sessions, their data, deletion;
and the password reset by email (/lupa-kata-sandi/) for people who cannot sign in.

Every view acts on the signed-in person only: nothing here takes another account's id, and a
session id is looked up among the person's own sessions (404 otherwise).
"""

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from accounts import personal_data, session_records
from accounts.forms_account import AccountDeleteForm, PasswordChangeForm, SetPasswordForm
from accounts.password_reset import PasswordResetForm

DATA_FILENAME = "data-saya-kim-id.json"


@login_required
def account(request: HttpRequest) -> HttpResponse:
    context = {
        "sessions": session_records.sessions_of(request.user),
        "current_row": session_records.current_row_id(request),
    }
    return render(request, "accounts/account.html", context)


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's view; then every other session of the person ends (this one stays)."""

    form_class = PasswordChangeForm
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:account")

    def get_form_kwargs(self) -> dict:
        return {**super().get_form_kwargs(), "request": self.request}

    def form_valid(self, form) -> HttpResponse:
        response = super().form_valid(form)  # update_session_auth_hash: this session, new key
        session_records.session_follow_key(request=self.request)
        ended = session_records.sessions_end_others(
            actor=self.request.user,
            keep_row=session_records.current_row_id(self.request),
            keep_key=self.request.session.session_key,
        )
        messages.success(
            self.request,
            _("Kata sandi Anda sudah diganti.")
            + " "
            + ngettext(
                "%(count)d perangkat lain dikeluarkan dari akun Anda.",
                "%(count)d perangkat lain dikeluarkan dari akun Anda.",
                ended,
            )
            % {"count": ended},
        )
        return response


@login_required
@require_POST
def session_end(request: HttpRequest, pk: int) -> HttpResponse:
    this_one = session_records.current_row_id(request) == pk
    if not session_records.session_end(actor=request.user, session_id=pk):
        raise Http404
    if this_one:
        logout(request)
        return redirect("accounts:login")
    messages.success(request, _("Perangkat itu sudah dikeluarkan dari akun Anda."))
    return redirect("accounts:account")


@login_required
@require_POST
def sessions_end_others(request: HttpRequest) -> HttpResponse:
    ended = session_records.sessions_end_others(
        actor=request.user,
        keep_row=session_records.current_row_id(request),
        keep_key=request.session.session_key,
    )
    messages.success(
        request,
        ngettext(
            "%(count)d perangkat lain dikeluarkan dari akun Anda.",
            "%(count)d perangkat lain dikeluarkan dari akun Anda.",
            ended,
        )
        % {"count": ended},
    )
    return redirect("accounts:account")


@login_required
@require_GET
@never_cache
def data_download(request: HttpRequest) -> HttpResponse:
    data = personal_data.personal_data_export(
        actor=request.user, user=request.user, current_session_key=request.session.session_key
    )
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 2})
    response["Content-Disposition"] = f'attachment; filename="{DATA_FILENAME}"'
    return response


@login_required
def account_delete(request: HttpRequest) -> HttpResponse:
    user = request.user
    blockers = personal_data.account_deletion_blockers(user)
    form = AccountDeleteForm(request.POST or None, request=request, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            personal_data.account_delete(actor=user, user=user)
        except ValidationError as exc:  # a KIM to hand over first (the page says which)
            form.add_error(None, exc)
        else:
            logout(request)
            messages.success(
                request,
                _("Akun Anda dan data pribadi Anda sudah dihapus dari kim.id. Terima kasih."),
            )
            return redirect("accounts:login")
    context = {
        "form": form,
        "blockers": blockers,
        "applications": personal_data.applications_deleted_with(user),
    }
    return render(request, "accounts/account_delete.html", context)


# --- Password reset by email ---------------------------------------------------------------------


class PasswordResetView(auth_views.PasswordResetView):
    """The same answer whether or not the address has an account; throttled per address and
    per client network (accounts.password_reset)."""

    form_class = PasswordResetForm
    template_name = "accounts/password_reset.html"
    success_url = reverse_lazy("accounts:password_reset_done")

    def form_valid(self, form) -> HttpResponse:
        if not form.check_throttle(self.request):
            return self.render_to_response(self.get_context_data(form=form), status=429)
        return super().form_valid(form)


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Django's view; a new password ends every session of the account."""

    form_class = SetPasswordForm
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")
    post_reset_login = False

    def form_valid(self, form) -> HttpResponse:
        response = super().form_valid(form)
        session_records.sessions_end_all(user=form.user)
        return response


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"
