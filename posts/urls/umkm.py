"""UMKM products of every KIM, on the portal at /umkm/."""

app_name = "umkm"

urlpatterns: list = []
