"""Error pages: Dutch HTML for people, problem+json for the API."""

from django.shortcuts import render
from django.utils.translation import gettext as _

from api_conventions.numbers import InvalidQueryParameter
from api_conventions.problems import problem_response

from .middleware import API_PREFIX


def _is_api(request) -> bool:
    return request.path_info.startswith(API_PREFIX)


def not_found(request, exception=None):
    if _is_api(request):
        return problem_response(404, _("Deze bron bestaat niet."), instance=request.path)
    return render(request, "404.html", status=404)


def api_not_found(request, *args, **kwargs):
    return problem_response(404, _("Deze bron bestaat niet."), instance=request.path)


def permission_denied(request, exception=None):
    message = str(exception) if exception and str(exception) else ""
    if _is_api(request):
        return problem_response(403, message or _("U heeft geen toegang tot deze bron."), instance=request.path)
    return render(request, "403.html", {"message": message}, status=403)


def bad_request(request, exception=None):
    # Only messages written for people are shown; a SuspiciousOperation's text is for the log.
    message = exception.message if isinstance(exception, InvalidQueryParameter) else ""
    if _is_api(request):
        return problem_response(400, message or _("Het verzoek is ongeldig."), instance=request.path)
    return render(request, "400.html", {"message": message}, status=400)


def server_error(request):
    if _is_api(request):
        return problem_response(
            500, _("Er ging iets mis aan onze kant. Probeer het later opnieuw."), instance=request.path
        )
    return render(request, "500.html", status=500)
