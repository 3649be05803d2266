"""Forms of the account pages. Field rules are the model's and `accounts.services`'s; these
forms only carry the values to `user_update` and show its issues."""

from django import forms
from django.contrib.auth.forms import AuthenticationForm

from accounts.models import User


class SignInForm(AuthenticationForm):
    """Django's sign-in form; the user model signs in by email."""

    username = forms.EmailField(
        label="Email address",
        widget=forms.EmailInput(attrs={"autocomplete": "email", "autofocus": True}),
    )


class NameForm(forms.Form):
    name = forms.CharField(
        label="Name", max_length=User._meta.get_field("name").max_length, strip=False
    )


class PasswordForm(forms.Form):
    current_password = forms.CharField(
        label="Current password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    new_password = forms.CharField(
        label="New password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )

    def __init__(self, *args: object, user: User, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.user = user

    def clean_current_password(self) -> str:
        password: str = self.cleaned_data["current_password"]
        if not self.user.check_password(password):
            raise forms.ValidationError("Your current password is not right.")
        return password
