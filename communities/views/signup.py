"""The sign-up wizard of a new KIM on the kelola host (/daftar/).

A half-finished sign-up is a Community in status draft whose applicant is the user. Each step
saves through a service and redirects to the next one, so the wizard can be left and resumed.
A rejected sign-up is editable again; a pending one is shown read-only on the review step.
"""

import posixpath
from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods

from accounts.models import User
from accounts.services import (
    SIGNUP_LINK_HOURS,
    signup_claim_read,
    signup_complete,
    signup_request,
)
from accounts.throttle import email_and_network_allowed
from communities import permissions
from communities.forms.signup import (
    ROSTER_ADD_ROWS,
    ROSTER_MAX_ROWS,
    ROSTER_PREFIX,
    AccountForm,
    AccountPasswordForm,
    DecreeForm,
    IdentityForm,
    RegionPickerForm,
    RosterFormSet,
    RosterImportForm,
    VillageForm,
    roster_data_for,
    roster_rows_from_post,
)
from communities.models import Community, Member, VerificationEvent
from communities.selectors import application_get
from communities.services import (
    MemberData,
    application_problem_steps,
    community_draft_start,
    community_set_decree,
    community_set_identity,
    community_set_roster,
    community_set_village,
    community_store_decree_file,
    community_submit,
)
from communities.validation import slug_from_name, slug_suggestions
from kimportal.lib.client import client_address
from kimportal.lib.links import subsite_url
from kimportal.lib.private_files import private_file_response
from regions.models import District, Province, Regency, Village

STEPS = (
    ("village", _("Desa/kelurahan")),
    ("identity", _("Nama & alamat")),
    ("decree", _("SK pembentukan")),
    ("roster", _("Anggota")),
    ("review", _("Tinjau & kirim")),
)
APPLICATIONS_PER_PAGE = 20
REGION_NAV_FORM_ID = "wilayah-nav"
# The village a visitor chose on a region page ("daftarkan KIM" with ?desa=<code>), kept in the
# session until the account exists and the sign-up starts.
SESSION_VILLAGE = "signup_desa"

# --- Reads -----------------------------------------------------------------------------------


def _own_applications(user: User) -> QuerySet[Community]:
    """Every sign-up the user started, whatever its status: for read-only pages only."""
    return Community.objects.filter(applicant=user)


def _own_application_get(*, user: User, pk: int) -> Community:
    """The user's own sign-up in any status (read-only); 404 for anyone else's or a missing one."""
    community = (
        _own_applications(user)
        .select_related("village__district__regency__province")
        .filter(pk=pk)
        .first()
    )
    if community is None:
        raise Http404
    return community


def _latest_rejection(community: Community) -> VerificationEvent | None:
    if community.status != Community.Status.REJECTED:
        return None
    return (
        community.verification_events.filter(action=VerificationEvent.Action.REJECTED)
        .order_by("-created_at", "-pk")
        .first()
    )


# Children of a region, by the number of dots in its code: province "35" → regencies,
# regency "35.78" → districts, district "35.78.09" → villages.
_REGION_LEVELS = {
    0: (Province, Regency, "province_id"),
    1: (Regency, District, "regency_id"),
    2: (District, Village, "district_id"),
}


def _provinces() -> list[tuple[str, str]]:
    return list(Province.objects.order_by("name", "code").values_list("code", "name"))


def _region_children(code: str) -> list[tuple[str, str]] | None:
    """(code, name) of the region's children sorted by name; None for an unknown region."""
    level = _REGION_LEVELS.get(code.count("."))
    if level is None or len(code) > 13:
        return None
    parent_model, child_model, parent_field = level
    children = list(
        child_model.objects.filter(**{parent_field: code})
        .order_by("name", "code")
        .values_list("code", "name")
    )
    if not children and not parent_model.objects.filter(code=code).exists():
        return None
    return children


def _region_path(params, saved: Village | None) -> tuple[list[str], list[list[tuple[str, str]]]]:
    """The chosen province, regency and district, and the options of all four selects.

    Each level counts only if it is a child of the level above (a stale choice left in the query
    string after its parent changed is dropped). One query per level shown, at most four.
    """
    names = ("provinsi", "kabupaten", "kecamatan")
    if any(params.get(name) for name in names):
        wanted = [str(params.get(name, "")) for name in names]
    elif saved is not None:
        district = saved.district
        wanted = [district.regency.province_id, district.regency_id, district.code]
    else:
        wanted = ["", "", ""]
    options = [_provinces()]
    chosen = []
    for level in range(3):
        code = wanted[level] if wanted[level] in dict(options[level]) else ""
        chosen.append(code)
        options.append((_region_children(code) or []) if code else [])
    return chosen, options


def _village_by_code(code: str) -> Village | None:
    if not code or len(code) > 13:
        return None
    return Village.objects.filter(code=code).first()


def _village_neighbours(community: Community) -> list[dict]:
    """Other KIMs of the sign-up's village that are live or waiting for verification: the
    applicant is told about them (a village may have more than one KIM, so never refused)."""
    if community.village_id is None:
        return []
    others = (
        Community.objects.filter(
            village_id=community.village_id,
            status__in=[Community.Status.VERIFIED, Community.Status.PENDING],
        )
        .exclude(pk=community.pk)
        .order_by("name", "pk")
        .only("pk", "name", "slug", "status")[:5]
    )
    return [
        {
            "name": str(other),
            "pending": other.status == Community.Status.PENDING,
            "url": subsite_url(other.slug, "subsite:home")
            if other.status == Community.Status.VERIFIED and other.slug
            else "",
        }
        for other in others
    ]


def _start_with_village(request: HttpRequest, applicant: User) -> Community:
    """A new (or the resumed) draft; a village chosen on a region page is filled in."""
    community = community_draft_start(applicant=applicant)
    village = _village_by_code(
        request.POST.get("desa", "") or request.session.pop(SESSION_VILLAGE, "")
    )
    if village is not None and community.village_id is None:
        community_set_village(community=community, village=village)
    return community


def _region_names(community: Community) -> tuple[str, str]:
    village = community.village
    if village is None:
        return "", ""
    return village.name, village.district.regency.name


# --- Helpers ---------------------------------------------------------------------------------


def _steps(community: Community, current: str, *, links: bool = True) -> list[dict]:
    return [
        {
            "number": number,
            "name": name,
            "label": label,
            "url": reverse(f"signup:{name}", args=[community.pk]) if links else "",
            "current": name == current,
        }
        for number, (name, label) in enumerate(STEPS, start=1)
    ]


def _step_url(community: Community, step: str) -> str:
    return reverse(f"signup:{step}", args=[community.pk])


def _render_step(
    request: HttpRequest, community: Community, step: str, context: dict
) -> HttpResponse:
    names = [name for name, _label in STEPS]
    index = names.index(step)
    back_url = _step_url(community, names[index - 1]) if index > 0 else reverse("signup:start")
    return render(
        request,
        f"communities/signup/{step}.html",
        {
            "community": community,
            "steps": _steps(community, step),
            "step": step,
            "back_url": back_url,
            "rejection": _latest_rejection(community),
            **context,
        },
    )


def _wizard_step(view: Callable[[HttpRequest, Community], HttpResponse]):
    """Sign-in required; the sign-up must be the user's and still editable.

    Someone else's (or a missing) sign-up is a 404; the user's own one that is no longer
    editable (pending, verified) sends them to its read-only review page.
    """

    @login_required
    @wraps(view)
    def wrapper(request: HttpRequest, pk: int) -> HttpResponse:
        try:
            community = application_get(user=request.user, pk=pk)
        except Http404:
            if _own_applications(request.user).filter(pk=pk).exists():
                return redirect("signup:review", pk=pk)
            raise
        return view(request, community)

    return wrapper


# --- Views -----------------------------------------------------------------------------------


@require_http_methods(["GET", "HEAD", "POST"])
def start(request: HttpRequest) -> HttpResponse:
    """What a sign-up needs; an account form for visitors, start/resume for signed-in users."""
    user = request.user
    form = None
    wanted_village = _village_by_code(
        str(request.POST.get("desa", "") or request.GET.get("desa", ""))
    )
    status = 200
    if request.method == "POST":
        if user.is_authenticated:
            community = _start_with_village(request, user)
            return redirect("signup:village", pk=community.pk)
        form = AccountForm(request.POST)
        if form.is_valid():
            # Each request emails the address typed: counted per address and per network, so
            # nobody can flood someone's inbox from here (a cache outage lets requests through:
            # the email only invites, and says who asked nowhere).
            if email_and_network_allowed(
                "signup",
                email=form.cleaned_data["email"],
                address=client_address(request),
                per_email=settings.SIGNUPS_PER_HOUR,
                per_network=settings.SIGNUPS_PER_HOUR_NETWORK,
            ):
                if wanted_village is not None:
                    request.session[SESSION_VILLAGE] = wanted_village.code
                # One answer for a new address and a registered one: the next step goes by email.
                signup_request(
                    email=form.cleaned_data["email"], full_name=form.cleaned_data["full_name"]
                )
                return redirect("signup:sent")
            form.add_error(
                None,
                gettext(
                    "Terlalu banyak permintaan pendaftaran untuk alamat ini atau dari jaringan "
                    "Anda. Coba lagi dalam satu jam."
                ),
            )
            status = 429
    elif not user.is_authenticated:
        form = AccountForm()

    page, has_draft = None, False
    if user.is_authenticated:
        applications = (
            _own_applications(user)
            .select_related("village")
            .order_by("-updated_at", "-pk")
            .only("pk", "name", "slug", "status", "updated_at", "village__name")
        )
        page = Paginator(applications, APPLICATIONS_PER_PAGE).get_page(request.GET.get("page"))
        has_draft = _own_applications(user).filter(status=Community.Status.DRAFT).exists()
    return render(
        request,
        "communities/signup/start.html",
        {
            "form": form,
            "page": page,
            "has_draft": has_draft,
            "min_members": settings.KIM_MIN_MEMBERS,
            "login_next": reverse("signup:start")
            + (f"?desa={wanted_village.code}" if wanted_village else ""),
            "wanted_village": wanted_village,
        },
        status=status,
    )


@require_GET
def sent(request: HttpRequest) -> HttpResponse:
    """Where every sign-up lands, whether or not its address already had an account."""
    return render(request, "communities/signup/sent.html")


@require_http_methods(["GET", "HEAD", "POST"])
def account(request: HttpRequest, token: str) -> HttpResponse:
    """The emailed link: choose a password, get the account, start the sign-up."""
    claim = signup_claim_read(token)
    if claim is None:
        return render(
            request,
            "communities/signup/link_invalid.html",
            {"hours": SIGNUP_LINK_HOURS},
            status=404,
        )
    if request.method == "POST":
        form = AccountPasswordForm(request.POST, email=claim.email)
        if form.is_valid():
            try:
                new_user = signup_complete(
                    claim=claim,
                    full_name=form.cleaned_data["full_name"],
                    password=form.cleaned_data["password1"],
                )
            except ValidationError as exc:
                messages.info(request, " ".join(exc.messages))
                return redirect(f"{reverse('accounts:login')}?next={reverse('signup:start')}")
            wanted = request.session.get(SESSION_VILLAGE, "")
            login(request, new_user, backend="django.contrib.auth.backends.ModelBackend")
            if wanted:  # login() cycles the session key; the data stays, but be explicit
                request.session[SESSION_VILLAGE] = wanted
            community = _start_with_village(request, new_user)
            messages.success(request, gettext("Akun Anda sudah dibuat. Selamat datang!"))
            return redirect("signup:village", pk=community.pk)
    else:
        form = AccountPasswordForm(initial={"full_name": claim.full_name}, email=claim.email)
    return render(request, "communities/signup/account.html", {"form": form, "email": claim.email})


@require_GET
def region_children(request: HttpRequest, code: str) -> JsonResponse:
    """[{"code", "name"}] of a province's, regency's or district's children, for signup.js."""
    children = _region_children(code)
    if children is None:
        raise Http404
    response = JsonResponse([{"code": c, "name": n} for c, n in children], safe=False)
    patch_cache_control(response, public=True, max_age=3600)
    return response


@require_http_methods(["GET", "HEAD", "POST"])
@_wizard_step
def village(request: HttpRequest, community: Community) -> HttpResponse:
    chosen, options = _region_path(request.GET, community.village)
    if request.method == "POST":
        form = VillageForm(request.POST, villages=options[3])
        if form.is_valid():
            community_set_village(community=community, village=form.cleaned_data["desa"])
            return redirect("signup:identity", pk=community.pk)
    else:
        saved = community.village
        initial = saved.code if saved is not None and saved.district_id == chosen[2] else ""
        form = VillageForm(initial={"desa": initial}, villages=options[3])
    picker = RegionPickerForm(form_id=REGION_NAV_FORM_ID, chosen=chosen, options=options[:3])
    return _render_step(
        request,
        community,
        "village",
        {
            "form": form,
            "picker": picker,
            "nav_form_id": REGION_NAV_FORM_ID,
            "children_url": reverse("signup:region_children", args=["KODE"]),
            "neighbours": _village_neighbours(community),
        },
    )


@require_http_methods(["GET", "HEAD", "POST"])
@_wizard_step
def identity(request: HttpRequest, community: Community) -> HttpResponse:
    suggestions: list[str] = []
    if request.method == "POST":
        data = request.POST
        chosen = data.get("pakai_alamat", "")
        typed = data.get("slug", "").strip().lower()
        # The suggestion pre-selected last time wins unless the field was edited since (without
        # JavaScript the radio stays checked while the applicant types an address of their own).
        preselected = data.get("saran_awal", "")
        if chosen and not (chosen == preselected and typed and typed != preselected):
            data = data.copy()
            data["slug"] = chosen
        form = IdentityForm(data, community_pk=community.pk)
        if form.is_valid():
            try:
                community_set_identity(
                    community=community,
                    name=form.cleaned_data["name"],
                    slug=form.cleaned_data["slug"],
                    street_address=form.cleaned_data["street_address"],
                )
            except ValidationError as exc:
                form.add_error("slug", exc)
            else:
                return redirect("signup:decree", pk=community.pk)
        if form.has_error("slug"):
            village_name, regency_name = _region_names(community)
            # From the KIM's name first (what people expect), then from what was typed.
            for wanted in (form.data.get("name", ""), form.data.get("slug", "")):
                if slug_from_name(wanted):
                    suggestions = slug_suggestions(
                        wanted, village_name=village_name, regency_name=regency_name
                    )
                if suggestions:
                    break
            if suggestions:
                # A free address is filled in and pre-selected: pressing "Simpan & lanjut" again
                # goes on, instead of sending the taken one a second time. The errors name the
                # address they are about, since the field now shows another one.
                typed = form.data.get("slug", "").strip().lower()
                if typed:
                    form.errors["slug"] = form.error_class(
                        [f"{typed}: {error}" for error in form.errors["slug"]]
                    )
                form.data = form.data.copy()
                form.data["slug"] = suggestions[0]
    else:
        slug = community.slug or ""
        if not slug and community.name:
            village_name, regency_name = _region_names(community)
            slug = next(
                iter(
                    slug_suggestions(
                        community.name, village_name=village_name, regency_name=regency_name
                    )
                ),
                "",
            )
        form = IdentityForm(
            initial={
                "name": community.name,
                "street_address": community.street_address,
                "slug": slug,
            },
            community_pk=community.pk,
        )
    return _render_step(
        request,
        community,
        "identity",
        {
            "form": form,
            "suggestions": suggestions,
            "slug_preview": (form["slug"].value() or "").strip().lower(),
            "portal_domain": settings.PORTAL_DOMAIN,
            "neighbours": _village_neighbours(community),
        },
    )


@require_http_methods(["GET", "HEAD", "POST"])
@_wizard_step
def decree(request: HttpRequest, community: Community) -> HttpResponse:
    kept_now = False
    if request.method == "POST":
        form = DecreeForm(request.POST, request.FILES, has_file=bool(community.sk_file))
        if form.is_valid():
            try:
                community_set_decree(
                    community=community,
                    number=form.cleaned_data["number"],
                    decree_date=form.cleaned_data["decree_date"],
                    file=form.cleaned_data["file"] or None,
                )
            except ValidationError as exc:
                form.add_error("file", exc)
            else:
                return redirect("signup:roster", pk=community.pk)
        else:
            upload = None if form.has_error("file") else form.cleaned_data.get("file")
            if upload:
                # Keep a good scan so that fixing the other fields does not mean uploading again.
                try:
                    community_store_decree_file(community=community, file=upload)
                except ValidationError as exc:
                    form.add_error("file", exc)
                else:
                    form.set_file_stored(True)
                    kept_now = True
    else:
        form = DecreeForm(
            initial={"number": community.sk_number, "decree_date": community.sk_date},
            has_file=bool(community.sk_file),
        )
    return _render_step(
        request,
        community,
        "decree",
        {
            "form": form,
            "kept_now": kept_now,
            "file_name": posixpath.basename(community.sk_file.name) if community.sk_file else "",
        },
    )


@login_required
@require_GET
def decree_file(request: HttpRequest, pk: int) -> HttpResponse:
    """The applicant's own SK scan, from private storage; never a public URL."""
    community = _own_application_get(user=request.user, pk=pk)
    return private_file_response(community.sk_file.storage, community.sk_file.name)


def _saved_roster_rows(community: Community) -> list[dict]:
    rows = list(
        community.members.order_by("sort_order", "pk").values(
            "name", "position", "position_detail", "phone"
        )
    )
    blanks = max(settings.KIM_MIN_MEMBERS - len(rows), 0)
    if not rows and blanks:
        rows.append({"position": Member.Position.KETUA})
        blanks -= 1
    return rows + [{"position": Member.Position.ANGGOTA} for _i in range(blanks)]


@require_http_methods(["GET", "HEAD", "POST"])
@_wizard_step
def roster(request: HttpRequest, community: Community) -> HttpResponse:
    import_form = RosterImportForm()
    imported = 0
    if request.method == "POST" and "impor" in request.POST:
        import_form = RosterImportForm(request.POST, request.FILES)
        typed = [row for row in _saved_roster_rows(community) if row.get("name")]
        if import_form.is_valid():
            rows = (typed + import_form.cleaned_data["rows"])[:ROSTER_MAX_ROWS]
            imported = len(rows) - len(typed)
            # Bound, so that every imported row is checked at once and its problems shown.
            formset = RosterFormSet(roster_data_for(rows), prefix=ROSTER_PREFIX)
            formset.is_valid()
            import_form = RosterImportForm()
        else:
            formset = RosterFormSet(initial=_saved_roster_rows(community), prefix=ROSTER_PREFIX)
    elif request.method == "POST" and "tambah" in request.POST:
        rows = roster_rows_from_post(request.POST, add=ROSTER_ADD_ROWS)
        formset = RosterFormSet(initial=rows, prefix=ROSTER_PREFIX)
    elif request.method == "POST":
        formset = RosterFormSet(request.POST, prefix=ROSTER_PREFIX)
        if formset.is_valid():
            community_set_roster(
                community=community,
                members=[MemberData(**row) for row in formset.filled_rows()],
            )
            return redirect("signup:review", pk=community.pk)
    else:
        formset = RosterFormSet(initial=_saved_roster_rows(community), prefix=ROSTER_PREFIX)
    return _render_step(
        request,
        community,
        "roster",
        {
            "formset": formset,
            "import_form": import_form,
            "imported": imported,
            "min_members": settings.KIM_MIN_MEMBERS,
            "add_rows": ROSTER_ADD_ROWS,
        },
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def review(request: HttpRequest, pk: int) -> HttpResponse:
    """Everything at a glance, what is missing, and the submit button; read-only once sent."""
    if request.method == "POST":
        community = application_get(user=request.user, pk=pk)
        try:
            community_submit(community=community, actor=request.user)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        return redirect("signup:review", pk=community.pk)

    community = _own_application_get(user=request.user, pk=pk)
    editable = permissions.can(request.user, permissions.EDIT_APPLICATION, community)
    problems = (
        [
            {"text": message, "url": _step_url(community, step)}
            for step, message in application_problem_steps(community)
        ]
        if editable
        else []
    )
    members = list(community.members.order_by("sort_order", "pk"))
    return render(
        request,
        "communities/signup/review.html",
        {
            "community": community,
            "steps": _steps(community, "review", links=editable),
            "step": "review",
            "back_url": _step_url(community, "roster"),
            "rejection": _latest_rejection(community),
            "editable": editable,
            "problems": problems,
            "members": members,
            "portal_domain": settings.PORTAL_DOMAIN,
            "regency": community.village.district.regency if community.village else None,
            "neighbours": _village_neighbours(community) if editable else [],
            "sk_file_name": posixpath.basename(community.sk_file.name) if community.sk_file else "",
        },
    )
