"""Aspirations for visitors (no account): the list, a page per aspirasi, sending, tracking.

Read-only pages are public pages (kimportal.lib.page_cache): no cookie, no form, cached whole.
The forms (send, track, withdraw) live on pages of their own. The views that receive contact
details or a tracking code hide them from Django's error reports (sensitive_post_parameters),
and nothing here logs form data. The tracking code travels only in POST bodies, never in a URL.
"""

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters, sensitive_variables
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from aspirations import models as asp_models
from aspirations import selectors, services
from aspirations.forms import AspirasiForm, PublicFilterForm, TrackForm, WithdrawForm
from aspirations.models import Aspirasi
from communities.models import Community
from kimportal.lib import page_cache
from kimportal.lib.client import client_address

CONTACT = ("contact_name", "contact_phone", "contact_email")


def _private(response: HttpResponse) -> HttpResponse:
    """A page showing a tracking code or a sender's own aspirasi: kept by no cache."""
    patch_cache_control(response, private=True, no_store=True)
    return response


# --- Portal: the list and one aspirasi -----------------------------------------------------------


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    form = PublicFilterForm(request.GET, regions=selectors.region_filter_choices())
    region = topic = ""
    if form.is_valid():
        region, topic = form.cleaned_data["wilayah"], form.cleaned_data["topik"]
    province_id, regency_id = ("", region) if "." in region else (region, "")
    page = selectors.public_page(
        params=request.GET, province_id=province_id, regency_id=regency_id, topic=topic
    )
    query = QueryDict(mutable=True)
    if region:
        query["wilayah"] = region
    if topic:
        query["topik"] = topic
    if regency_id:
        scope = asp_models.regency_scope(regency_id)
    elif province_id:
        scope = asp_models.province_scope(province_id)
    else:
        scope = asp_models.ALL_SCOPE
    response = render(
        request,
        "aspirations/public/index.html",
        {"page": page, "form": form, "query": query, "filtered": bool(region or topic)},
    )
    return page_cache.public_page(response, scope)


@require_GET
def detail(request: HttpRequest, number: int) -> HttpResponse:
    aspirasi = selectors.public_get(pk=number)
    response = render(
        request,
        "aspirations/public/detail.html",
        {
            "aspirasi": aspirasi,
            "events": selectors.public_events(aspirasi),
            "photo_url": _photo_url(aspirasi),
        },
    )
    scopes = [asp_models.item_scope(aspirasi.pk)]
    if aspirasi.community_id:
        scopes.append(page_cache.community_scope(aspirasi.community_id))
    return page_cache.public_page(response, *scopes)


def _photo_url(aspirasi: Aspirasi) -> str:
    from django.core.files.storage import default_storage

    if aspirasi.is_shown_publicly and aspirasi.photo_public:
        return default_storage.url(aspirasi.photo_public)
    return ""


# --- Sending -------------------------------------------------------------------------------------


# Every frame from here down (the services, the emails) hides its variables in error reports:
# they hold the contact and the tracking code.
@sensitive_variables()
def _submit(
    request: HttpRequest, form: AspirasiForm, *, community: Community | None, template: str, context
) -> HttpResponse:
    status = 200
    if form.is_valid():
        cleaned = form.cleaned_data
        data = services.Submission(
            topic=cleaned["topic"],
            text=cleaned["text"],
            village=cleaned.get("village_obj"),
            is_public=not cleaned["not_public"],
            contact_name=cleaned["contact_name"],
            contact_phone=cleaned["contact_phone"],
            contact_email=cleaned["contact_email"],
            photo=cleaned.get("photo"),
        )
        try:
            aspirasi, code = services.aspirasi_submit(
                community=community,
                regency=form.the_regency(),
                data=data,
                address=client_address(request),
            )
        except ValidationError as exc:
            form.add_error(None, exc)
            status = 429 if getattr(exc, "code", None) == "rate" else 200
        else:
            response = render(
                request,
                "aspirations/public/kim_sent.html" if community else "aspirations/public/sent.html",
                {**context, "aspirasi": aspirasi, "code": code},
            )
            return _private(response)
    return _private(render(request, template, {**context, "form": form}, status=status))


@sensitive_post_parameters(*CONTACT, "text")
@require_http_methods(["GET", "POST"])
def send(request: HttpRequest) -> HttpResponse:
    context = {"community": None}
    template = "aspirations/public/send.html"
    if request.method != "POST":
        return render(request, template, {**context, "form": AspirasiForm()})
    form = AspirasiForm(request.POST, request.FILES)
    return _submit(request, form, community=None, template=template, context=context)


# --- Tracking and withdrawal ---------------------------------------------------------------------


@sensitive_post_parameters("code")
@require_http_methods(["GET", "POST"])
@sensitive_variables()
def track(request: HttpRequest) -> HttpResponse:
    template = "aspirations/public/track.html"
    if request.method != "POST":
        return render(request, template, {"form": TrackForm()})
    form = TrackForm(request.POST)
    aspirasi = None
    address = client_address(request)
    if refused := _too_many_failures(request, address, template):
        return refused
    if form.is_valid():
        code = form.cleaned_data["code"]
        aspirasi = services.aspirasi_for_code(code=code)
        if aspirasi is None:
            services.tracking_record_failure(address=address)
            form.add_error("code", _("Kode pelacakan tidak dikenal. Periksa kembali kode Anda."))
    context = {"form": form, "aspirasi": aspirasi}
    if aspirasi is not None:
        context.update(_tracked(aspirasi, code))
    return _private(render(request, template, context))


def _too_many_failures(request: HttpRequest, address: str, template: str) -> HttpResponse | None:
    """The refusal (429) once the client's network has tried too many unknown codes."""
    try:
        services.tracking_check_allowed(address=address)
    except ValidationError as exc:
        context = {"form": TrackForm(), "error": " ".join(exc.messages)}
        return _private(render(request, template, context, status=429))
    return None


def _tracked(aspirasi: Aspirasi, code: str) -> dict:
    return {
        "events": selectors.public_events(aspirasi),
        "withdraw_form": WithdrawForm(initial={"code": code})
        if aspirasi.status != Aspirasi.Status.WITHDRAWN
        else None,
    }


@sensitive_post_parameters("code")
@require_POST
@sensitive_variables()
def withdraw(request: HttpRequest) -> HttpResponse:
    form = WithdrawForm(request.POST)
    template = "aspirations/public/track.html"
    address = client_address(request)
    if refused := _too_many_failures(request, address, template):
        return refused
    if not form.is_valid():
        code = request.POST.get("code", "")
        aspirasi = services.aspirasi_for_code(code=code)
        if aspirasi is None:
            services.tracking_record_failure(address=address)
            error = _("Kode pelacakan tidak dikenal.")
            return _private(render(request, template, {"form": TrackForm(), "error": error}))
        context = {"form": TrackForm(), "aspirasi": aspirasi}
        context.update(_tracked(aspirasi, code))
        context["withdraw_form"] = form
        return _private(render(request, template, context))
    code = form.cleaned_data["code"]
    try:
        aspirasi = services.aspirasi_withdraw(code=code)
    except ValidationError as exc:
        if exc.code == "unknown":
            services.tracking_record_failure(address=address)
        return _private(
            render(request, template, {"form": TrackForm(), "error": " ".join(exc.messages)})
        )
    context = {"form": TrackForm(), "aspirasi": aspirasi, "withdrawn": True}
    context.update(_tracked(aspirasi, code))
    return _private(render(request, template, context))


# --- A KIM's subsite -----------------------------------------------------------------------------


def _kim_context(community: Community) -> dict:
    image = community.cover or community.logo
    return {"community": community, "nav": "aspirasi", "og_image": image.url if image else ""}


@sensitive_post_parameters(*CONTACT, "text")
@require_http_methods(["GET", "POST"])
def kim_send(request: HttpRequest) -> HttpResponse:
    community = request.site.community
    context = {
        **_kim_context(community),
        "page_title": _("Sampaikan aspirasi"),
        "page_description": _("Sampaikan aspirasi, keluhan, atau usulan kepada %(name)s.")
        % {"name": community.name},
    }
    template = "aspirations/public/kim_send.html"
    kwargs = {"regency": community.regency, "default_village": _village_name(community)}
    if request.method != "POST":
        return render(request, template, {**context, "form": AspirasiForm(**kwargs)})
    form = AspirasiForm(request.POST, request.FILES, **kwargs)
    return _submit(request, form, community=community, template=template, context=context)


def _village_name(community: Community) -> str:
    return community.village.name if community.village_id else ""


@require_GET
def kim_index(request: HttpRequest) -> HttpResponse:
    community = request.site.community
    page = selectors.public_page(params=request.GET, community_id=community.pk)
    response = render(
        request,
        "aspirations/public/kim_index.html",
        {
            **_kim_context(community),
            "page_title": _("Aspirasi warga"),
            "page_description": _("Aspirasi warga kepada %(name)s dan tanggapannya.")
            % {"name": community.name},
            "page": page,
            "query": QueryDict(),
        },
    )
    return page_cache.public_page(
        response,
        page_cache.community_scope(community.pk),
        asp_models.community_scope(community.pk),
    )
