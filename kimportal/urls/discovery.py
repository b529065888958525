"""What crawlers and feed readers look for: feeds, sitemaps and robots.txt, per kind of host.

Each root URLconf includes its list; the portal's comes before the region pages, whose
three-slug district route would otherwise take /wilayah/<province>/<regency>/feed/.
"""

from django.urls import path

from kimportal import feeds, sitemaps, views_robots

PORTAL = [
    path("robots.txt", views_robots.portal, name="robots"),
    path("sitemap.xml", sitemaps.portal_index, name="sitemap"),
    path("sitemap-<slug:section>.xml", sitemaps.portal_section, name="sitemap_section"),
    path("feed/", feeds.PortalFeed(), name="feed"),
    path("feed/rss/", feeds.PortalRssFeed(), name="feed_rss"),
    path("wilayah/<slug:province_slug>/feed/", feeds.ProvinceFeed(), name="province_feed"),
    path(
        "wilayah/<slug:province_slug>/feed/rss/",
        feeds.ProvinceRssFeed(),
        name="province_feed_rss",
    ),
    path(
        "wilayah/<slug:province_slug>/<slug:regency_slug>/feed/",
        feeds.RegencyFeed(),
        name="regency_feed",
    ),
    path(
        "wilayah/<slug:province_slug>/<slug:regency_slug>/feed/rss/",
        feeds.RegencyRssFeed(),
        name="regency_feed_rss",
    ),
]

SUBSITE = [
    path("robots.txt", views_robots.subsite, name="robots"),
    path("sitemap.xml", sitemaps.subsite_sitemap, name="sitemap"),
    path("sitemap-<slug:section>.xml", sitemaps.subsite_section, name="sitemap_section"),
    path("feed/", feeds.CommunityFeed(), name="feed"),
    path("feed/rss/", feeds.CommunityRssFeed(), name="feed_rss"),
]

KELOLA = [
    path("robots.txt", views_robots.kelola, name="robots"),
]
