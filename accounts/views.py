"""The signed-in user's home on the kelola host, and staff scopes (national admins)."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from accounts import services
from accounts.forms import SignInForm, StaffScopeForm
from accounts.models import StaffScope
from communities import permissions, selectors
from communities.models import Community, Role, VerificationEvent

STAFF_PAGE_SIZE = 50

# What each role may do, said on the dashboard instead of a bare role name (issue 11).
ROLE_DUTIES = {
    Role.Kind.ADMIN: gettext_lazy(
        "Mengubah profil dan tampilan situs KIM, mengelola anggota dan peran, serta menulis, "
        "menyunting, dan mengirim tulisan."
    ),
    Role.Kind.EDITOR: gettext_lazy(
        "Menulis tulisan, menyunting tulisan anggota lain, dan mengirimnya untuk diterbitkan."
    ),
    Role.Kind.CONTRIBUTOR: gettext_lazy(
        "Menulis tulisan dengan foto dan mengirimnya untuk diperiksa."
    ),
}


def sign_in_locked(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict | None = None,
) -> HttpResponse:
    """The sign-in page again, with why it refused (accounts.throttle; AXES_LOCKOUT_CALLABLE).

    The form is not validated again: that would be one more sign-in attempt.
    """
    typed = request.POST.get("username", "")
    form = SignInForm(request, initial={"username": typed})
    message = ngettext(
        "Terlalu banyak percobaan masuk yang gagal. Demi keamanan, masuk dengan akun ini atau "
        "dari jaringan ini dikunci sementara. Coba lagi dalam %(minutes)d menit.",
        "Terlalu banyak percobaan masuk yang gagal. Demi keamanan, masuk dengan akun ini atau "
        "dari jaringan ini dikunci sementara. Coba lagi dalam %(minutes)d menit.",
        settings.LOGIN_COOLOFF_MINUTES,
    ) % {"minutes": settings.LOGIN_COOLOFF_MINUTES}
    context = {
        "form": form,
        "next": request.POST.get("next", request.GET.get("next", "")),
        "lockout_message": message,
    }
    return render(request, "accounts/login.html", context, status=429)


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    user = request.user
    communities = Community.objects.managed_by(user).select_related("regency").order_by("name")
    memberships = []
    for community in communities:
        role = Role.Kind(permissions.role_in(user, community))
        memberships.append(
            {
                "community": community,
                "role_label": role.label,
                "duties": ROLE_DUTIES.get(role, ""),
                "may_open": permissions.can(user, permissions.VIEW_DASHBOARD, community),
            }
        )
    applications = (
        Community.objects.filter(
            applicant=user,
            status__in=[
                Community.Status.DRAFT,
                Community.Status.PENDING,
                Community.Status.REJECTED,
            ],
        )
        .prefetch_related(
            Prefetch(
                "verification_events",
                queryset=VerificationEvent.objects.filter(
                    action=VerificationEvent.Action.REJECTED
                ).order_by("-created_at", "-pk"),
                to_attr="rejections",
            )
        )
        .order_by("-created_at", "-pk")
    )
    context = {"memberships": memberships, "applications": applications}
    if permissions.is_staff_admin(user):
        context["scopes"] = StaffScope.objects.filter(user=user).select_related(
            "province", "regency"
        )
        context["pending_count"] = selectors.verification_queue(user=user).count()
        context["is_national_admin"] = permissions.is_national_admin(user)
    return render(request, "accounts/dashboard.html", context)


def _require_national(request: HttpRequest) -> None:
    if not permissions.can(request.user, permissions.MANAGE_STAFF):
        raise Http404


@login_required
def staff_scopes(request: HttpRequest) -> HttpResponse:
    _require_national(request)
    form = StaffScopeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            scope = services.staff_scope_add(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc.messages)
        else:
            messages.success(
                request,
                _("%(email)s kini admin %(scope)s.") % {"email": scope.user.email, "scope": scope},
            )
            return redirect("accounts:staff_scopes")
    scopes = StaffScope.objects.select_related("user", "province", "regency").order_by(
        "level", "user__email", "pk"
    )
    page = Paginator(scopes, STAFF_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "accounts/staff_scopes.html", {"form": form, "page": page})


@login_required
@require_POST
def staff_scope_remove(request: HttpRequest, pk: int) -> HttpResponse:
    _require_national(request)
    scope = get_object_or_404(
        StaffScope.objects.select_related("user", "province", "regency"), pk=pk
    )
    try:
        services.staff_scope_remove(actor=request.user, scope=scope)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("Cakupan %(scope)s milik %(email)s dihapus.")
            % {"scope": scope, "email": scope.user.email},
        )
    return redirect("accounts:staff_scopes")
