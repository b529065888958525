from django.http import HttpRequest, HttpResponse
from django.urls import path


def hello(request: HttpRequest) -> HttpResponse:
    return HttpResponse("Halo, dunia!", content_type="text/plain; charset=utf-8")


urlpatterns = [path("", hello)]
