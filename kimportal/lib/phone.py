"""Indonesian phone numbers for WhatsApp click-to-chat links."""

import re

_NON_DIGITS = re.compile(r"\D")


def whatsapp_digits(number: str) -> str:
    """Digits for wa.me: a leading 0 (or a bare 8) becomes Indonesia's 62; "" when too short."""
    digits = _NON_DIGITS.sub("", number or "")
    if digits.startswith("0"):
        digits = "62" + digits[1:]
    elif digits.startswith("8"):
        digits = "62" + digits
    return digits if len(digits) >= 8 else ""
