"""Password reset by email: Django's token views, our email (three templates, through the outbox)
and a throttle per address and per client network.

The answer is the same whether or not an account has the address: the throttle counts every
request for an address before anything is looked up, so even a refusal says nothing about it.
Counters live in the cache under keyed hashes (no address or email is written to Redis); with
the cache down, requests go on unthrottled (as the aspiration tracking limit does): the reset
link itself is what protects the account.
"""

from django import forms
from django.conf import settings
from django.contrib.auth.forms import PasswordResetForm as BasePasswordResetForm
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.throttle import email_and_network_allowed
from kimportal.lib.client import client_address
from kimportal.lib.links import kelola_url
from kimportal.lib.mail import send_templated_email


def reset_request_allowed(*, email: str, address: str) -> None:
    """Count one reset request for this address and network; ValidationError once either has
    had its hourly allowance (a cache outage never blocks one)."""
    if not email_and_network_allowed(
        "pwreset",
        email=email,
        address=address,
        per_email=settings.PASSWORD_RESETS_PER_HOUR,
        per_network=settings.PASSWORD_RESETS_PER_HOUR_NETWORK,
    ):
        raise ValidationError(
            _(
                "Terlalu banyak permintaan atur ulang kata sandi untuk alamat ini atau dari "
                "jaringan Anda. Demi keamanan, coba lagi dalam satu jam."
            ),
            code="throttled",
        )


class PasswordResetForm(BasePasswordResetForm):
    """Django's form, with our wording, and the email sent through the outbox."""

    email = forms.EmailField(
        label=gettext_lazy("Email akun Anda"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={
            "required": gettext_lazy("Isi alamat email akun Anda."),
            "invalid": gettext_lazy("Alamat email tidak valid."),
        },
    )

    def check_throttle(self, request: HttpRequest) -> bool:
        """Count this request; False (with the reason on the form) when it is refused."""
        try:
            reset_request_allowed(email=self.cleaned_data["email"], address=client_address(request))
        except ValidationError as exc:
            self.add_error(None, exc)
            return False
        return True

    def send_mail(
        self,
        subject_template_name,
        email_template_name,
        context,
        from_email,
        to_email,
        html_email_template_name=None,
    ) -> None:
        send_templated_email(
            template="password_reset",
            to=[to_email],
            context={
                "full_name": context["user"].full_name,
                "reset_url": kelola_url(
                    "accounts:password_reset_confirm", context["uid"], context["token"]
                ),
                "hours": max(1, settings.PASSWORD_RESET_TIMEOUT // 3600),
            },
        )
