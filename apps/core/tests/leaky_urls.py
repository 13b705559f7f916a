"""The real URLs plus two views that forget the data scope, to prove the walker catches them."""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import path

from apps.core.scope import scoped_path
from apps.org.models import Unit, User
from yingshang.urls import urlpatterns as real_urlpatterns


def leaky_unit_detail(request, pk):
    return HttpResponse(get_object_or_404(Unit, pk=pk).name)


def leaky_person_list(request):
    return HttpResponse(", ".join(User.objects.values_list("name", flat=True)))


def undeclared_unit_detail(request, pk):
    return HttpResponse(get_object_or_404(Unit.objects.visible_to(request.user), pk=pk).name)


urlpatterns = [
    scoped_path("leaky/units/<int:pk>/", leaky_unit_detail, name="leaky_unit_detail", model=Unit),
    path("leaky/people/", leaky_person_list, name="leaky_person_list"),
    path("undeclared/units/<int:pk>/", undeclared_unit_detail, name="undeclared_unit_detail"),
    *real_urlpatterns,
]
