"""What crawlers and feed readers look for: feeds, sitemaps and robots.txt, per kind of host.

Each root URLconf includes its list; the portal's comes before the region pages, whose
three-slug district route would otherwise take /wilayah/<province>/<regency>/feed/.
"""

from django.urls import path

from kimportal import feeds, sitemaps, views_robots
from kimportal.lib.canonical import without_query

PORTAL = [
    path("robots.txt", without_query(views_robots.portal), name="robots"),
    path("sitemap.xml", without_query(sitemaps.portal_index), name="sitemap"),
    path(
        "sitemap-<slug:section>.xml", without_query(sitemaps.portal_section), name="sitemap_section"
    ),
    path("feed/", without_query(feeds.PortalFeed()), name="feed"),
    path("feed/rss/", without_query(feeds.PortalRssFeed()), name="feed_rss"),
    path(
        "wilayah/<slug:province_slug>/feed/",
        without_query(feeds.ProvinceFeed()),
        name="province_feed",
    ),
    path(
        "wilayah/<slug:province_slug>/feed/rss/",
        without_query(feeds.ProvinceRssFeed()),
        name="province_feed_rss",
    ),
    path(
        "wilayah/<slug:province_slug>/<slug:regency_slug>/feed/",
        without_query(feeds.RegencyFeed()),
        name="regency_feed",
    ),
    path(
        "wilayah/<slug:province_slug>/<slug:regency_slug>/feed/rss/",
        without_query(feeds.RegencyRssFeed()),
        name="regency_feed_rss",
    ),
]

SUBSITE = [
    path("robots.txt", without_query(views_robots.subsite), name="robots"),
    path("sitemap.xml", without_query(sitemaps.subsite_sitemap), name="sitemap"),
    path(
        "sitemap-<slug:section>.xml",
        without_query(sitemaps.subsite_section),
        name="sitemap_section",
    ),
    path("feed/", without_query(feeds.CommunityFeed()), name="feed"),
    path("feed/rss/", without_query(feeds.CommunityRssFeed()), name="feed_rss"),
]

KELOLA = [
    path("robots.txt", without_query(views_robots.kelola), name="robots"),
]
