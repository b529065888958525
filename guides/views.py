"""The guides on the portal: /panduan/ and /panduan/<slug>/."""

from django.http import Http404
from django.shortcuts import render

from guides import library
from kimportal.lib import page_cache


def index(request):
    guides = library.all_guides()
    groups = [
        (audience, [g for g in guides if g.audience == audience]) for audience in library.AUDIENCES
    ]
    response = render(request, "guides/index.html", {"groups": groups})
    # The guides change with a release; NATIONAL expires them at the latest with the cache.
    return page_cache.public_page(response, page_cache.NATIONAL)


def detail(request, slug: str):
    guide = library.get(slug)
    if guide is None:
        raise Http404
    others = [g for g in library.all_guides() if g.audience == guide.audience and g != guide]
    response = render(request, "guides/detail.html", {"guide": guide, "others": others})
    return page_cache.public_page(response, page_cache.NATIONAL)
