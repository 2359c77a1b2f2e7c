import datetime

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.formats import date_format
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from api_conventions.numbers import query_int

from . import services
from .forms import InboxFilterForm, LoginForm, SnoozeForm
from .models import Notification
from .selectors import inbox_items

INBOX_PAGE_SIZE = 50
# The inbox parameters an action form carries back (hidden field "terug"), so the list stays as it was.
_INBOX_PARAMS = ("status", "kind", "due", "pagina")


@method_decorator(login_not_required, name="dispatch")
class LoginView(auth_views.LoginView):
    template_name = "registration/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    pass


def _notification_for(request: HttpRequest, uuid) -> Notification:
    """The user's own inbox item; anyone else's is a 404, so existence never leaks."""
    notification = Notification.objects.filter(user=request.user, uuid=uuid).first()
    if notification is None:
        raise Http404
    return notification


def _inbox_params(raw: QueryDict | str) -> QueryDict:
    """Only the known inbox parameters, from a request's GET or a posted query string."""
    source = raw if isinstance(raw, QueryDict) else QueryDict(raw)
    params = QueryDict(mutable=True)
    for key in _INBOX_PARAMS:
        if source.get(key):
            params[key] = source[key]
    return params


def _inbox_context(request: HttpRequest, params: QueryDict) -> dict:
    """The filtered page of the inbox. Cost: a COUNT and one page query, whatever the number of items."""
    form = InboxFilterForm(params)
    page = Paginator(inbox_items(request.user, **form.filters()), INBOX_PAGE_SIZE).get_page(
        query_int(params, "pagina", default=1)
    )
    without_page = params.copy()
    without_page.pop("pagina", None)
    today = timezone.localdate()
    return {
        "form": form,
        "page": page,
        "query": without_page.urlencode(),
        "back": params.urlencode(),
        "today": today,
        "snooze_min": today + datetime.timedelta(days=1),
        "snooze_max": today + datetime.timedelta(days=services.SNOOZE_MAX_DAYS),
    }


def inbox(request: HttpRequest) -> HttpResponse:
    """The user's inbox: filter by status, kind and due date; mark done, snooze or reopen each item."""
    return render(request, "accounts/inbox.html", _inbox_context(request, _inbox_params(request.GET)))


def _after_action(request: HttpRequest, *, done: str = "", error: str = "") -> HttpResponse:
    """Post/Redirect/Get back to the same inbox view; for HTMX the list and the bell are swapped in place."""
    params = _inbox_params(request.POST.get("terug", ""))
    if request.htmx:
        context = {**_inbox_context(request, params), "done_message": done, "error_message": error}
        return render(request, "accounts/_inbox_response.html", context, status=400 if error else 200)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, done)
    url = reverse("accounts:inbox")
    return redirect(f"{url}?{params.urlencode()}" if params else url)


@require_POST
def notification_read(request: HttpRequest, uuid) -> HttpResponse:
    notification = _notification_for(request, uuid)
    services.notification_mark_read(user=request.user, notification=notification)
    if notification.url and url_has_allowed_host_and_scheme(notification.url, allowed_hosts={request.get_host()}):
        return redirect(notification.url)
    return redirect("accounts:inbox")


@require_POST
def notification_done(request: HttpRequest, uuid) -> HttpResponse:
    notification = _notification_for(request, uuid)
    services.notification_mark_done(user=request.user, notification=notification)
    return _after_action(request, done=_("Het bericht is afgehandeld."))


@require_POST
def notification_reopen(request: HttpRequest, uuid) -> HttpResponse:
    notification = _notification_for(request, uuid)
    services.notification_reopen(user=request.user, notification=notification)
    return _after_action(request, done=_("Het bericht staat weer open."))


@require_POST
def notification_snooze(request: HttpRequest, uuid) -> HttpResponse:
    notification = _notification_for(request, uuid)
    form = SnoozeForm(request.POST)
    if not form.is_valid():
        return _after_action(request, error=_("Kies een geldige datum om het bericht tot dan uit te stellen."))
    until = form.cleaned_data["until"]
    try:
        services.notification_snooze(user=request.user, notification=notification, until=until)
    except ValidationError as exc:
        return _after_action(request, error=" ".join(exc.messages))
    return _after_action(
        request, done=_("Het bericht is uitgesteld tot %(date)s.") % {"date": date_format(until, "j F Y")}
    )
