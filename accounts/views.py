import datetime

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from access.declarations import Scope, declare
from api_conventions.numbers import query_int

from . import privileges, selectors, services
from .constants import TEAM_GRANTABLE_ROLES, Role
from .forms import (
    ApiTokenForm,
    InboxFilterForm,
    LoginForm,
    RoleRequestDecisionForm,
    RoleRequestForm,
    SnoozeForm,
    TeamFilterForm,
)
from .models import ApiToken, Membership, Notification, RoleRequest, Team, User
from .selectors import inbox_items

INBOX_PAGE_SIZE = 50
# The inbox parameters an action form carries back (hidden field "terug"), so the list stays as it was.
_INBOX_PARAMS = ("status", "kind", "due", "pagina")


@declare(Scope.PUBLIC)
class LoginView(auth_views.LoginView):
    template_name = "registration/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


@declare(Scope.PUBLIC)
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


@declare(Scope.SELF)
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


@declare(Scope.SELF)
@require_POST
def notification_read(request: HttpRequest, uuid) -> HttpResponse:
    notification = _notification_for(request, uuid)
    services.notification_mark_read(user=request.user, notification=notification)
    if notification.url and url_has_allowed_host_and_scheme(notification.url, allowed_hosts={request.get_host()}):
        return redirect(notification.url)
    return redirect("accounts:inbox")


@declare(Scope.SELF)
@require_POST
def notification_done(request: HttpRequest, uuid) -> HttpResponse:
    notification = _notification_for(request, uuid)
    services.notification_mark_done(user=request.user, notification=notification)
    return _after_action(request, done=_("Het bericht is afgehandeld."))


@declare(Scope.SELF)
@require_POST
def notification_reopen(request: HttpRequest, uuid) -> HttpResponse:
    notification = _notification_for(request, uuid)
    services.notification_reopen(user=request.user, notification=notification)
    return _after_action(request, done=_("Het bericht staat weer open."))


@declare(Scope.SELF)
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


# --- Role requests (four eyes) ---------------------------------------------------------------------

MEMBERSHIP_PAGE_SIZE = 50
API_TOKEN_PAGE_SIZE = 50


ROLE_REQUESTS_ONLY = gettext_lazy("Deze pagina is voor functioneel beheerders en teamleiders.")
BEHEERDER_ONLY = gettext_lazy("Deze pagina is alleen voor de functioneel beheerder.")


def _require_role_requests(request: HttpRequest) -> None:
    if not privileges.works_with_role_requests(request.user):
        raise PermissionDenied(_("Deze pagina is voor functioneel beheerders en teamleiders."))


def _require_beheerder(request: HttpRequest) -> None:
    if not privileges.is_beheerder(request.user):
        raise PermissionDenied(_("Deze pagina is alleen voor de functioneel beheerder."))


def _role_request_form(request: HttpRequest, data=None) -> RoleRequestForm:
    """What the actor may ask for: every team and role for a beheerder; a teamleider their own teams and
    the casework roles. Oneself stays in the list: the refusal says why, which a missing name would not."""
    teams = Team.objects.select_related("organisation").order_by("organisation__name", "name")
    roles = list(Role.choices)
    if not privileges.is_beheerder(request.user):
        teams = teams.filter(pk__in=privileges.led_team_ids(request.user))
        roles = [(value, label) for value, label in roles if value in TEAM_GRANTABLE_ROLES]
    users = User.objects.filter(is_active=True).order_by("last_name", "first_name", "username")
    return RoleRequestForm(data, users=users, teams=teams, roles=roles)


def _render_role_requests(
    request: HttpRequest, *, form: RoleRequestForm | None = None, decision_forms=None, status: int = 200
) -> HttpResponse:
    """Cost: a query per list (to decide, filed, decided) and two for the form's choices."""
    decision_forms = decision_forms or {}
    to_decide = [
        (item, decision_forms.get(item.pk) or RoleRequestDecisionForm(prefix=f"r-{item.uuid.hex}"))
        for item in selectors.role_requests_to_decide(request.user)
    ]
    context = {
        "form": form or _role_request_form(request),
        "to_decide": to_decide,
        "filed": list(selectors.role_requests_filed_by(request.user)),
        "decided": selectors.role_requests_decided(request.user),
        "is_beheerder": privileges.is_beheerder(request.user),
    }
    return render(request, "accounts/role_requests.html", context, status=status)


def _add_service_error(form, error: ValidationError, field_map: dict[str, str] | None = None) -> None:
    """Show a service's ``ValidationError`` next to the field it names, or above the form."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for key, errors in error.error_dict.items():
        name = (field_map or {}).get(key, key)
        form.add_error(name if name in form.fields else None, errors)


@declare(Scope.ROLE, allowed=privileges.works_with_role_requests, message=ROLE_REQUESTS_ONLY)
@require_http_methods(["GET", "POST"])
def role_requests(request: HttpRequest) -> HttpResponse:
    """Rolverzoeken: file a request for a colleague, decide on others' requests, withdraw one's own."""
    _require_role_requests(request)
    if request.method == "GET":
        return _render_role_requests(request)
    form = _role_request_form(request, request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            role_request = services.role_request_create(
                actor=request.user, user=data["user"], team=data["team"], role=data["role"], reason=data["reason"]
            )
        except ValidationError as exc:
            _add_service_error(form, exc)
        else:
            messages.success(
                request,
                _("Uw verzoek om de rol %(role)s voor %(user)s is ingediend. Een collega besluit erover.")
                % {"role": role_request.get_role_display(), "user": role_request.user},
            )
            return redirect("accounts:role-requests")
    return _render_role_requests(request, form=form, status=400)


@declare(Scope.ROLE, allowed=privileges.works_with_role_requests, message=ROLE_REQUESTS_ONLY)
@require_POST
def role_request_decide(request: HttpRequest, uuid) -> HttpResponse:
    _require_role_requests(request)
    role_request = get_object_or_404(RoleRequest.objects.select_related("user", "team"), uuid=uuid)
    form = RoleRequestDecisionForm(request.POST, prefix=f"r-{role_request.uuid.hex}")
    if form.is_valid():
        try:
            services.role_request_decide(
                actor=request.user, role_request=role_request, approve=form.approve, note=form.cleaned_data["note"]
            )
        except ValidationError as exc:
            _add_service_error(form, exc, field_map={"decision_note": "note"})
        else:
            done = (
                _("U heeft de rol %(role)s voor %(user)s goedgekeurd.")
                if form.approve
                else _("U heeft de rol %(role)s voor %(user)s afgewezen.")
            )
            messages.success(request, done % {"role": role_request.get_role_display(), "user": role_request.user})
            return redirect("accounts:role-requests")
    if role_request.status != RoleRequest.Status.PENDING or not privileges.may_decide_role_request(
        request.user, role_request
    ):
        # Not on the page, so the form cannot show the refusal: tell it above the page.
        messages.error(request, " ".join(str(error) for errors in form.errors.values() for error in errors))
        return redirect("accounts:role-requests")
    return _render_role_requests(request, decision_forms={role_request.pk: form}, status=400)


@declare(Scope.ROLE, allowed=privileges.works_with_role_requests, message=ROLE_REQUESTS_ONLY)
@require_POST
def role_request_withdraw(request: HttpRequest, uuid) -> HttpResponse:
    _require_role_requests(request)
    role_request = get_object_or_404(RoleRequest, uuid=uuid)
    try:
        services.role_request_withdraw(actor=request.user, role_request=role_request)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("Uw verzoek is ingetrokken."))
    return redirect("accounts:role-requests")


@declare(Scope.ROLE, allowed=privileges.is_beheerder, message=BEHEERDER_ONLY)
def team_roles(request: HttpRequest) -> HttpResponse:
    """Teamrollen: the current memberships, filtered by team; a beheerder ends someone else's role here."""
    _require_beheerder(request)
    form = TeamFilterForm(request.GET or None)
    team = form.cleaned_data["team"] if form.is_valid() else None
    page = Paginator(selectors.current_memberships(team=team), MEMBERSHIP_PAGE_SIZE).get_page(
        query_int(request.GET, "pagina", default=1)
    )
    params = request.GET.copy()
    params.pop("pagina", None)
    context = {"form": form, "page": page, "query": params.urlencode(), "today": timezone.localdate()}
    return render(request, "accounts/team_roles.html", context, status=200 if not form.errors else 400)


@declare(Scope.ROLE, allowed=privileges.is_beheerder, message=BEHEERDER_ONLY)
@require_POST
def membership_end(request: HttpRequest, uuid) -> HttpResponse:
    _require_beheerder(request)
    membership = get_object_or_404(Membership.objects.select_related("user", "team"), uuid=uuid)
    try:
        services.membership_end(actor=request.user, membership=membership)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("De rol %(role)s van %(user)s in %(team)s eindigt na vandaag.")
            % {"role": membership.get_role_display(), "user": membership.user, "team": membership.team},
        )
    back = request.POST.get("terug", "")
    url = reverse("accounts:team-roles")
    return redirect(f"{url}?{_team_roles_params(back)}" if back else url)


def _team_roles_params(raw: str) -> str:
    source = QueryDict(raw)
    params = QueryDict(mutable=True)
    for key in ("team", "pagina"):
        if source.get(key):
            params[key] = source[key]
    return params.urlencode()


# --- API keys -------------------------------------------------------------------------------------


def _render_api_tokens(request: HttpRequest, *, form=None, new_key: str = "", new_token=None, status=200):
    context = {
        "form": form or ApiTokenForm(),
        "tokens": list(selectors.api_tokens_of(request.user)),
        "new_key": new_key,
        "new_token": new_token,
        "is_beheerder": privileges.is_beheerder(request.user),
    }
    return render(request, "accounts/api_tokens.html", context, status=status)


@declare(Scope.SELF)
@require_http_methods(["GET", "POST"])
def api_tokens(request: HttpRequest) -> HttpResponse:
    """Mijn API-sleutels: make a key for oneself (shown once, in this response only), list and revoke them.

    The new key is rendered into the POST's own response, never redirected through the session: it is
    stored nowhere but in the user's hands (the response is ``no-store``, as every logged-in page).
    """
    if request.method == "GET":
        return _render_api_tokens(request)
    form = ApiTokenForm(request.POST)
    if form.is_valid():
        try:
            token, key = services.api_token_create(
                actor=request.user, user=request.user, name=form.cleaned_data["name"]
            )
        except ValidationError as exc:
            _add_service_error(form, exc)
        else:
            return _render_api_tokens(request, new_key=key, new_token=token)
    return _render_api_tokens(request, form=form, status=400)


@declare(Scope.SELF)
@require_POST
def api_token_revoke(request: HttpRequest, uuid) -> HttpResponse:
    """Revoke a key: one's own, or any key for a functioneel beheerder (404 for someone else's otherwise)."""
    token = ApiToken.objects.filter(uuid=uuid).select_related("user").first()
    if token is None or (token.user_id != request.user.pk and not privileges.is_beheerder(request.user)):
        raise Http404
    try:
        services.api_token_revoke(actor=request.user, token=token)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("De API-sleutel “%(name)s” is ingetrokken.") % {"name": token.name})
    to_all = request.POST.get("terug") == "alle" and privileges.is_beheerder(request.user)
    return redirect("accounts:api-tokens-all" if to_all else "accounts:api-tokens")


@declare(Scope.ROLE, allowed=privileges.is_beheerder, message=BEHEERDER_ONLY)
def api_tokens_all(request: HttpRequest) -> HttpResponse:
    """Alle API-sleutels (functioneel beheerder): who holds which key, to revoke; never the key itself."""
    _require_beheerder(request)
    page = Paginator(selectors.api_tokens_all(), API_TOKEN_PAGE_SIZE).get_page(
        query_int(request.GET, "pagina", default=1)
    )
    return render(request, "accounts/api_tokens_all.html", {"page": page})
