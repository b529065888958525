"""Current siaran on the portal, at /siaran/."""

app_name = "siaran"

urlpatterns: list = []
