"""Account pages: sign in and out (Django's auth views, by email), the admin's sign-in for
learners, and the page where users change their own name and password."""

from django.contrib import admin, messages
from django.contrib.auth import login, update_session_auth_hash
from django.contrib.auth.views import LoginView
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from accounts.forms import NameForm, PasswordForm, SignInForm
from accounts.models import User
from accounts.pages import page
from accounts.services import user_update
from common.errors import ValidationFailed

ADMIN_IS_FOR_STAFF = (
    "The admin is for instructors and admins. Your courses and quizzes are here, on your dashboard."
)


class SignInView(LoginView):
    template_name = "accounts/login.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True


def admin_login(request: HttpRequest) -> HttpResponse:
    """`/admin/login/`: staff sign in to the admin as usual; a learner who signs in here (or
    arrives signed in) is sent to their dashboard with a word on where things are."""
    user = request.user
    if isinstance(user, User) and not user.is_staff:
        messages.info(request, ADMIN_IS_FOR_STAFF)
        return redirect("dashboard")
    if request.method == "POST":
        form = SignInForm(request, data=request.POST)
        if form.is_valid() and not form.get_user().is_staff:
            login(request, form.get_user())
            messages.info(request, ADMIN_IS_FOR_STAFF)
            return redirect("dashboard")
    return admin.site.login(request)


def _form_issues(form: NameForm | PasswordForm, error: ValidationFailed, field: str) -> None:
    for item in error.details:
        form.add_error(field if item["field"] in (field, "password") else None, item["issue"])


@page
@require_http_methods(["GET", "POST"])
def account(request: HttpRequest, user: User) -> HttpResponse:
    """Change one's name or password (`accounts.services.user_update`, as the API)."""
    name_form = NameForm(initial={"name": user.name}, prefix="name")
    password_form = PasswordForm(user=user, prefix="password")
    status = 200
    if request.method == "POST" and "change_name" in request.POST:
        name_form = NameForm(request.POST, prefix="name")
        if name_form.is_valid():
            try:
                user_update(user=user, name=name_form.cleaned_data["name"])
            except ValidationFailed as error:
                _form_issues(name_form, error, "name")
            else:
                messages.success(request, "Your name was changed.")
                return redirect("account")
        status = 422
    elif request.method == "POST" and "change_password" in request.POST:
        password_form = PasswordForm(request.POST, user=user, prefix="password")
        if password_form.is_valid():
            try:
                stored = user_update(user=user, password=password_form.cleaned_data["new_password"])
            except ValidationFailed as error:
                _form_issues(password_form, error, "new_password")
            else:
                update_session_auth_hash(request, stored)  # this session stays signed in
                messages.success(request, "Your password was changed.")
                return redirect("account")
        status = 422
    forms = [form for form in (name_form, password_form) if form.is_bound and form.errors]
    return render(
        request,
        "accounts/account.html",
        {"name_form": name_form, "password_form": password_form, "forms_in_error": forms},
        status=status,
    )
