"""The aspirations queues on kelola: aspirasi/ (staff) and kim/<slug>/aspirasi/ (a KIM)."""

app_name = "aspirasi"

urlpatterns: list = []
