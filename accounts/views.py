"""Sign-in, invitations, language and error pages. Views stay thin: parse, check, call, render."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth import views as auth_views
from django.core.paginator import Paginator
from django.db import connection
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import language as language_choice
from . import navigation, selectors, services
from .access import invitable_roles, role_required
from .forms import AcceptInvitationForm, InvitationForm, LanguageForm, PasswordResetRequestForm, SignInForm
from .models import Role


def home(request):
    """Send each person to their role's home page."""
    if not request.user.is_authenticated:
        return redirect(settings.LOGIN_URL)
    return redirect(navigation.home_url(request.user))


class SignInView(auth_views.LoginView):
    template_name = "accounts/login.html"
    form_class = SignInForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        chosen = language_choice.take_choice(self.request)
        response = super().form_valid(form)
        language_choice.apply_choice(user=form.get_user(), language=chosen)
        return response


class SignOutView(auth_views.LogoutView):
    pass


class PasswordResetView(auth_views.PasswordResetView):
    form_class = PasswordResetRequestForm
    template_name = "accounts/password_reset_form.html"
    success_url = reverse_lazy("accounts:password_reset_done")

    def form_valid(self, form):
        # The e-mail is an outbox row (sent by the reminder engine), not sent from the request.
        services.password_reset_request(email=form.cleaned_data["email"])
        return HttpResponseRedirect(self.get_success_url())


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


@role_required(Role.STAFF, Role.HR, Role.ADMIN)
def invitations(request):
    form = InvitationForm(request.POST or None, inviter=request.user)
    if request.method == "POST" and form.is_valid():
        invitation = services.invitation_create(invited_by=request.user, **form.cleaned_data)
        messages.success(request, _("Invitation sent to %(email)s.") % {"email": invitation.user.email})
        return redirect("accounts:invitations")
    page = Paginator(selectors.invitations_visible_to(request.user), 25).get_page(request.GET.get("page"))
    return render(
        request,
        "accounts/invitations.html",
        {"form": form, "page": page, "valid_days": settings.INVITATION_VALID_DAYS},
    )


@require_POST
@role_required(Role.STAFF, Role.HR, Role.ADMIN)
def invitation_resend(request, pk):
    invitation = get_object_or_404(selectors.invitations_visible_to(request.user), pk=pk)
    try:
        services.invitation_resend(invitation=invitation, by=request.user)
    except services.InvitationError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("A new link was sent to %(email)s.") % {"email": invitation.user.email})
    return redirect("accounts:invitations")


def invitation_accept(request, token):
    try:
        invitation = services.invitation_for_token(token)
    except services.InvitationError as error:
        return render(request, "accounts/invitation_invalid.html", {"reason": str(error)}, status=410)
    form = AcceptInvitationForm(request.POST or None, user=invitation.user)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.invitation_accept(token=token, password=form.cleaned_data["password1"])
        except services.InvitationError as error:
            return render(request, "accounts/invitation_invalid.html", {"reason": str(error)}, status=410)
        chosen = language_choice.take_choice(request)
        if request.user.is_authenticated:
            logout(request)
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        language_choice.apply_choice(user=user, language=chosen)
        messages.success(request, _("Welcome! Your password is set and you are signed in."))
        return redirect("home")
    return render(request, "accounts/invitation_accept.html", {"form": form, "invitation": invitation})


@require_POST
def set_language(request):
    """Switch the language; remembered on the account for signed-in people, in a cookie for all."""
    form = LanguageForm(request.POST)
    next_url = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, request.is_secure()):
        next_url = "/"
    response = HttpResponseRedirect(next_url)
    if form.is_valid():
        language = form.cleaned_data["language"]
        if request.user.is_authenticated:
            services.user_set_language(user=request.user, language=language)
        else:
            language_choice.remember_choice(request, language)
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            max_age=365 * 24 * 3600,
            samesite="Lax",
            secure=settings.SESSION_COOKIE_SECURE,
        )
    return response


@role_required(Role.ADMIN)
def admin_home(request):
    counts = selectors.user_counts_by_role()
    return render(
        request,
        "accounts/admin_home.html",
        {
            "role_counts": [(label, counts.get(value, 0)) for value, label in Role.choices],
            "pending_invitations": selectors.invitations_visible_to(request.user)
            .filter(accepted_at__isnull=True)
            .count(),
            "database": connection.vendor,
            "broker": _("eager (in-process)")
            if settings.CELERY_TASK_ALWAYS_EAGER
            else settings.CELERY_BROKER_URL.split(":")[0],
            "email_backend": settings.EMAIL_BACKEND.rsplit(".", 2)[-2],
            "invitable": bool(invitable_roles(request.user)),
            "shortcuts": [
                {"label": entry.label, "url": entry.url()}
                for entry in navigation.admin_shortcuts(request.user)
            ],
        },
    )


def locked_out(request, response=None, credentials=None):
    """django-axes: the same pause page whether or not the e-mail belongs to an account."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(request, "accounts/locked_out.html", {"cooloff_minutes": minutes}, status=429)


def permission_denied(request, exception=None):
    return render(request, "403.html", status=403)


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    return render(request, "500.html", status=500)
