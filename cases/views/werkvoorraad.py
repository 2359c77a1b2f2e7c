from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from accounts.selectors import user_memberships


def werkvoorraad(request: HttpRequest) -> HttpResponse:
    """Mijn werkvoorraad: where every professional lands after logging in."""
    return render(request, "cases/werkvoorraad.html", {"memberships": user_memberships(request.user)})
