"""Search pages: /cari/ on the portal (posts of every KIM, and KIMs) and on a subsite (its posts).

Plain GET forms and links: they work without JavaScript, carry no CSRF token and set no cookie,
so anonymous results are cached like any other public page (kimportal.lib.page_cache).
"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from communities.search import community_search
from kimportal.lib import page_cache
from kimportal.lib.search import highlight, query_terms
from posts import search
from posts.forms.search import PortalSearchForm, SubsiteSearchForm

PORTAL_KIMS = 6


def _results(form, *, community=None, page_number=None) -> dict:
    query = form.query()
    if not query_terms(query):
        return {"query": query, "result": None}
    result = search.post_search(
        query=query, community=community, filters=form.filters(), page_number=page_number
    )
    return {"query": query, "result": result, "applied": form.applied()}


def portal_search(request: HttpRequest) -> HttpResponse:
    form = PortalSearchForm(request.GET)
    context = _results(form, page_number=request.GET.get("page"))
    kims = []
    result = context["result"]
    if result is not None and result.page.number == 1:
        filters = form.filters()
        terms = query_terms(context["query"])
        kims = community_search(
            query=context["query"],
            province_code=filters.province_code,
            regency_code=filters.regency_code,
            limit=PORTAL_KIMS,
        )
        for kim in kims:
            kim.hl_name = highlight(kim.name, terms)
    response = render(request, "search/portal.html", {**context, "form": form, "kims": kims})
    return page_cache.public_page(response, page_cache.NATIONAL)


def subsite_search(request: HttpRequest) -> HttpResponse:
    community = request.site.community
    form = SubsiteSearchForm(request.GET)
    context = _results(form, community=community, page_number=request.GET.get("page"))
    image = community.cover or community.logo
    response = render(
        request,
        "search/subsite.html",
        {
            **context,
            "form": form,
            "community": community,
            "nav": "search",
            "og_image": request.build_absolute_uri(image.url) if image else "",
            "page_title": _("Cari"),
            "page_description": _("Cari kabar dan kegiatan %(name)s.") % {"name": community.name},
        },
    )
    return page_cache.public_page(response, page_cache.community_scope(community.pk))
