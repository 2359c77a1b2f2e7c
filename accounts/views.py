from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from .forms import LoginForm
from .services import notification_mark_read


@method_decorator(login_not_required, name="dispatch")
class LoginView(auth_views.LoginView):
    template_name = "registration/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    pass


def inbox(request: HttpRequest) -> HttpResponse:
    """The user's notifications, newest first; unread ones are marked."""
    notifications = list(request.user.notifications.all()[:200])
    return render(request, "accounts/inbox.html", {"notifications": notifications})


@require_POST
def notification_read(request: HttpRequest, uuid) -> HttpResponse:
    notification = request.user.notifications.filter(uuid=uuid).first()
    if notification is None:
        raise Http404
    notification_mark_read(user=request.user, notification=notification)
    if notification.url and url_has_allowed_host_and_scheme(notification.url, allowed_hosts={request.get_host()}):
        return redirect(notification.url)
    return redirect("accounts:inbox")
