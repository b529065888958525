"""Hoax clarifications of every KIM, on the portal at /hoaks/."""

app_name = "hoaks"

urlpatterns: list = []
