"""A KIM's own pages on the kelola host: overview, profile, roster, roles, invitations.

Every page resolves its KIM through `selectors.community_get_for_member`, which answers 404 for a
KIM the user has no (sufficient) role in exactly as for a missing one; rows of the KIM (members,
roles, invitations) are then looked up through the KIM's own relations.
"""

import copy
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import User
from communities import onboarding, permissions, selectors, services
from communities.forms.manage import (
    InvitationSignUpForm,
    InviteForm,
    MemberForm,
    ProfileForm,
    RoleForm,
)
from communities.models import Community, Member, Role
from kimportal.lib.links import kelola_url


def _admin_community(request: HttpRequest, slug: str) -> Community:
    return selectors.community_get_for_member(
        user=request.user, slug=slug, action=permissions.MANAGE
    )


def _member_community(request: HttpRequest, slug: str) -> Community:
    return selectors.community_get_for_member(
        user=request.user, slug=slug, action=permissions.VIEW_DASHBOARD
    )


def _add_service_error(form, exc: ValidationError) -> None:
    """Show a service's ValidationError on the form: on its fields where it names them."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def _role_label(user, community: Community) -> str:
    role = permissions.role_in(user, community)
    return Role.Kind(role).label if role else ""


# --- Overview --------------------------------------------------------------------------------


@login_required
def overview(request: HttpRequest, slug: str) -> HttpResponse:
    community = _member_community(request, slug)
    may_manage = permissions.can(request.user, permissions.MANAGE, community)
    steps = onboarding.checklist(community) if may_manage else []
    context = {
        "community": community,
        "role_label": _role_label(request.user, community),
        "may_manage": may_manage,
        # A new KIM's first steps, for its admins, until all are done.
        "checklist": steps if may_manage and not all(s.done for s in steps) else None,
        "suspension_reason": (
            selectors.community_suspension_reason(community)
            if community.status == Community.Status.SUSPENDED
            else ""
        ),
    }
    return render(request, "communities/manage/overview.html", context)


# --- Profile ---------------------------------------------------------------------------------


@login_required
def profile(request: HttpRequest, slug: str) -> HttpResponse:
    community = _admin_community(request, slug)
    # The form works on a copy, so that a refused edit leaves the page's own KIM untouched.
    form = ProfileForm(request.POST or None, request.FILES or None, instance=copy.copy(community))
    if request.method == "POST" and form.is_valid():
        try:
            services.community_update_profile(
                community=community, actor=request.user, **form.profile_changes()
            )
        except ValidationError as exc:
            _add_service_error(form, exc)
        else:
            messages.success(request, _("Profil KIM disimpan."))
            return redirect("manage:profile", community.slug)
    return render(
        request, "communities/manage/profile.html", {"community": community, "form": form}
    )


# --- Roster ----------------------------------------------------------------------------------


@login_required
def roster(request: HttpRequest, slug: str) -> HttpResponse:
    community = _admin_community(request, slug)
    return render(
        request,
        "communities/manage/roster.html",
        {"community": community, "members": community.members.all()},
    )


def _member_form_page(
    request: HttpRequest, community: Community, member: Member | None
) -> HttpResponse:
    initial = MemberForm.initial_for(member) if member else None
    form = MemberForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.member_save(
                community=community, actor=request.user, data=form.member_data(), member=member
            )
        except PermissionError as exc:
            raise Http404 from exc
        except ValidationError as exc:
            _add_service_error(form, exc)
        else:
            messages.success(request, _("Data %(name)s disimpan.") % {"name": saved.name})
            return redirect("manage:roster", community.slug)
    return render(
        request,
        "communities/manage/member_form.html",
        {"community": community, "member": member, "form": form},
    )


@login_required
def member_add(request: HttpRequest, slug: str) -> HttpResponse:
    return _member_form_page(request, _admin_community(request, slug), None)


@login_required
def member_edit(request: HttpRequest, slug: str, member_pk: int) -> HttpResponse:
    community = _admin_community(request, slug)
    member = get_object_or_404(community.members, pk=member_pk)
    return _member_form_page(request, community, member)


@login_required
def member_delete(request: HttpRequest, slug: str, member_pk: int) -> HttpResponse:
    community = _admin_community(request, slug)
    member = get_object_or_404(community.members, pk=member_pk)
    if request.method == "POST":
        try:
            services.member_remove(community=community, actor=request.user, member=member)
        except PermissionError as exc:
            raise Http404 from exc
        messages.success(
            request, _("%(name)s dihapus dari daftar anggota.") % {"name": member.name}
        )
        return redirect("manage:roster", community.slug)
    return render(
        request, "communities/manage/member_delete.html", {"community": community, "member": member}
    )


# --- Roles and invitations -------------------------------------------------------------------


# The accept link of the invitation just made, kept in the admin's session until the roles page
# shows it once, to send by WhatsApp too (the same single-use token as the email's).
INVITE_LINK_SESSION = "undangan_baru"


def _whatsapp_invitation(request: HttpRequest, community: Community, invitations) -> dict | None:
    link = request.session.pop(INVITE_LINK_SESSION, None)
    if not isinstance(link, dict):
        return None
    invitation = next((i for i in invitations if i.pk == link.get("pk")), None)
    if invitation is None:  # revoked or accepted meanwhile, or another KIM's
        return None
    text = _(
        "Anda diundang menjadi %(role)s %(name)s di kim.id. Buka tautan sekali pakai ini dan "
        "masuk atau daftar dengan email %(email)s: %(url)s"
    ) % {
        "role": invitation.get_role_display(),
        "name": community.name,
        "email": invitation.email,
        "url": link["url"],
    }
    return {
        "invitation": invitation,
        "url": link["url"],
        "whatsapp": "https://wa.me/?" + urlencode({"text": text}),
    }


def _roles_page(request: HttpRequest, community: Community, form: InviteForm) -> HttpResponse:
    invitations = list(
        selectors.invitation_list_open(community=community).select_related("invited_by")
    )
    context = {
        "community": community,
        "roles": community.roles.select_related("user").order_by("user__full_name", "pk"),
        "invitations": invitations,
        "new_invitation": _whatsapp_invitation(request, community, invitations),
        "form": form,
    }
    return render(request, "communities/manage/roles.html", context)


@login_required
def roles(request: HttpRequest, slug: str) -> HttpResponse:
    community = _admin_community(request, slug)
    form = InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            invitation, token = services.invitation_create(
                community=community,
                actor=request.user,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
            )
        except ValidationError as exc:
            _add_service_error(form, exc)
        else:
            request.session[INVITE_LINK_SESSION] = {
                "pk": invitation.pk,
                "url": kelola_url("manage:invitation_accept", token),
            }
            messages.success(
                request, _("Undangan terkirim ke %(email)s.") % {"email": invitation.email}
            )
            return redirect("manage:roles", community.slug)
    return _roles_page(request, community, form)


def _after_role_edit(request: HttpRequest, community: Community, role) -> HttpResponse:
    # An admin who just demoted or removed themselves can no longer open the roles page.
    if role.user_id == request.user.pk:
        return redirect("accounts:dashboard")
    return redirect("manage:roles", community.slug)


@login_required
def role_edit(request: HttpRequest, slug: str, role_pk: int) -> HttpResponse:
    community = _admin_community(request, slug)
    role = get_object_or_404(community.roles.select_related("user"), pk=role_pk)
    form = RoleForm(
        request.POST if request.POST.get("action") == "change" else None,
        initial={"role": role.role},
    )
    error = ""
    if request.method == "POST":
        try:
            if request.POST.get("action") == "remove":
                services.role_remove(community=community, actor=request.user, role=role)
                messages.success(
                    request, _("Peran %(name)s dicabut.") % {"name": role.user.full_name}
                )
                return _after_role_edit(request, community, role)
            if form.is_valid():
                services.role_change(
                    community=community,
                    actor=request.user,
                    role=role,
                    new_role=form.cleaned_data["role"],
                )
                messages.success(
                    request, _("Peran %(name)s diubah.") % {"name": role.user.full_name}
                )
                return _after_role_edit(request, community, role)
        except PermissionError as exc:
            raise Http404 from exc
        except ValidationError as exc:
            error = " ".join(exc.messages)
    return render(
        request,
        "communities/manage/role_edit.html",
        {"community": community, "role_obj": role, "form": form, "error": error},
    )


@login_required
@require_POST
def invitation_revoke(request: HttpRequest, slug: str, invitation_pk: int) -> HttpResponse:
    community = _admin_community(request, slug)
    invitation = get_object_or_404(community.invitations, pk=invitation_pk)
    try:
        services.invitation_revoke(community=community, actor=request.user, invitation=invitation)
    except PermissionError as exc:
        raise Http404 from exc
    messages.success(
        request, _("Undangan untuk %(email)s dibatalkan.") % {"email": invitation.email}
    )
    return redirect("manage:roles", community.slug)


@login_required
def leave(request: HttpRequest, slug: str) -> HttpResponse:
    community = _member_community(request, slug)
    error = ""
    if request.method == "POST":
        try:
            services.role_leave(community=community, user=request.user)
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            messages.success(request, _("Anda telah keluar dari %(name)s.") % {"name": community})
            return redirect("accounts:dashboard")
    return render(
        request,
        "communities/manage/leave.html",
        {
            "community": community,
            "role_label": _role_label(request.user, community),
            "error": error,
        },
    )


# --- Accepting an invitation ----------------------------------------------------------------


def _invalid_invitation(request: HttpRequest) -> HttpResponse:
    return render(request, "communities/manage/invitation_invalid.html", status=404)


def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    invitation = services.invitation_lookup(token)
    if invitation is None:
        return _invalid_invitation(request)
    community = invitation.community
    user = request.user
    signup_form = None
    account_exists = False
    status = 200
    if user.is_authenticated:
        if request.method == "POST":
            try:
                services.invitation_accept(token=token, user=user)
            except ValidationError as exc:
                if exc.code != "wrong_account":
                    return _invalid_invitation(request)
                # The page already says which address to sign in with; nothing was claimed.
                status = 403
            else:
                messages.success(
                    request,
                    _("Selamat bergabung! Anda kini %(role)s di %(name)s.")
                    % {"role": invitation.get_role_display(), "name": community},
                )
                return redirect("manage:overview", community.slug)
    else:
        account_exists = User.objects.filter(email__iexact=invitation.email).exists()
        if not account_exists:
            signup_form = InvitationSignUpForm(request.POST or None, email=invitation.email)
            if request.method == "POST" and signup_form.is_valid():
                try:
                    new_user = services.invitation_accept_with_new_account(
                        token=token,
                        full_name=signup_form.cleaned_data["full_name"],
                        password=signup_form.cleaned_data["password1"],
                    )
                except ValidationError:
                    return _invalid_invitation(request)
                login(request, new_user, backend="django.contrib.auth.backends.ModelBackend")
                messages.success(
                    request,
                    _("Akun Anda dibuat. Anda kini %(role)s di %(name)s.")
                    % {"role": invitation.get_role_display(), "name": community},
                )
                return redirect("manage:overview", community.slug)
    return render(
        request,
        "communities/manage/invitation_accept.html",
        {
            "invitation": invitation,
            "community": community,
            "signup_form": signup_form,
            "account_exists": account_exists,
            "wrong_account": user.is_authenticated
            and not services.invitation_is_for(invitation, user),
        },
        status=status,
    )
