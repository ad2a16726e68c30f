"""Channel adapters: e-mail (SMTP), WhatsApp (the Business Cloud API) and SMS (an HTTP gateway).

Each adapter sends one message and answers an Outcome: "sent" (with the provider's message id), "retry" (a 5xx,
a 429, a timeout or a refused connection: the provider may take it later) or "failed" (a 4xx: the request itself
is wrong, retrying cannot help). SMTP's codes run the other way round: 4xx is transient, 5xx permanent.
The retry and its backoff are the notification service's (core/notifications/services.py); adapters never sleep.

A leaf module: imports no app and none of the notification service.
"""

from __future__ import annotations

import json
import smtplib
from dataclasses import dataclass
from typing import Any, Protocol

import requests
from django.conf import settings
from django.core.mail import EmailMessage, get_connection

from core import phones


@dataclass(frozen=True)
class Outcome:
    result: str  # "sent", "retry" or "failed"
    code: int = 0
    answer: str = ""
    provider_id: str = ""


class Adapter(Protocol):
    def send(
        self,
        *,
        address: str,
        subject: str,
        body: str,
        template: str = "",
        parameters: list[str] | None = None,
    ) -> Outcome: ...


class EmailAdapter:
    def send(
        self,
        *,
        address: str,
        subject: str,
        body: str,
        template: str = "",
        parameters: list[str] | None = None,
    ) -> Outcome:
        recipients = [part.strip() for part in address.split(",") if part.strip()]
        message = EmailMessage(subject=subject, body=body, from_email=settings.DEFAULT_FROM_EMAIL, to=recipients)
        try:
            with get_connection(timeout=settings.NOTIFY_HTTP_TIMEOUT) as connection:
                connection.send_messages([message])
        except smtplib.SMTPRecipientsRefused as error:
            codes = [code for code, _ in error.recipients.values()]
            permanent = all(code >= 500 for code in codes)
            return Outcome("failed" if permanent else "retry", max(codes, default=0), str(error.recipients))
        except smtplib.SMTPResponseException as error:
            answer = error.smtp_error.decode(errors="replace") if isinstance(error.smtp_error, bytes) else ""
            return Outcome("failed" if error.smtp_code >= 500 else "retry", error.smtp_code, answer)
        except OSError as error:  # refused, reset, timed out, disconnected
            return Outcome("retry", 0, f"{type(error).__name__}: {error}")
        return Outcome("sent", 250, "accepted for " + ", ".join(recipients))


def _http_outcome(response: requests.Response) -> Outcome:
    answer = response.text[:4000]
    if response.status_code >= 500 or response.status_code == 429:
        return Outcome("retry", response.status_code, answer)
    if response.status_code >= 400:
        return Outcome("failed", response.status_code, answer)
    return Outcome("sent", response.status_code, answer, _message_id(response))


def _message_id(response: requests.Response) -> str:
    try:
        data: Any = response.json()
    except ValueError:
        return ""
    if isinstance(data, dict):
        messages = data.get("messages")
        if isinstance(messages, list) and messages and isinstance(messages[0], dict):
            return str(messages[0].get("id", ""))
        return str(data.get("id") or data.get("message_id") or "")
    return ""


def _post(url: str, *, payload: dict[str, Any], token: str) -> Outcome:
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    try:
        response = requests.post(url, data=json.dumps(payload), headers=headers, timeout=settings.NOTIFY_HTTP_TIMEOUT)
    except requests.Timeout as error:
        return Outcome("retry", 0, f"timeout: {error}")
    except requests.ConnectionError as error:
        return Outcome("retry", 0, f"connection: {error}")
    return _http_outcome(response)


class WhatsAppAdapter:
    """POST {WHATSAPP_API_URL}/{phone-number id}/messages with a template message and a Bearer token."""

    def send(
        self,
        *,
        address: str,
        subject: str,
        body: str,
        template: str = "",
        parameters: list[str] | None = None,
    ) -> Outcome:
        number = phones.whatsapp_digits(address)
        if not number:
            return Outcome("failed", 0, "not an Indonesian mobile number")
        url = f"{settings.WHATSAPP_API_URL.rstrip('/')}/{settings.WHATSAPP_PHONE_NUMBER_ID}/messages"
        payload = {
            "messaging_product": "whatsapp",
            "recipient_type": "individual",
            "to": number,
            "type": "template",
            "template": {
                "name": template,
                "language": {"code": "id"},
                "components": [
                    {"type": "body", "parameters": [{"type": "text", "text": text} for text in parameters or []]}
                ],
            },
        }
        return _post(url, payload=payload, token=settings.WHATSAPP_TOKEN)


class SmsAdapter:
    """POST {"to", "text"} as JSON to SMS_GATEWAY_URL (Bearer SMS_GATEWAY_TOKEN when set)."""

    def send(
        self,
        *,
        address: str,
        subject: str,
        body: str,
        template: str = "",
        parameters: list[str] | None = None,
    ) -> Outcome:
        number = phones.digits(address)
        if not number:
            return Outcome("failed", 0, "not a valid phone number")
        payload = {"to": number, "text": body[:320]}
        return _post(settings.SMS_GATEWAY_URL, payload=payload, token=settings.SMS_GATEWAY_TOKEN)


ADAPTERS: dict[str, Adapter] = {"email": EmailAdapter(), "whatsapp": WhatsAppAdapter(), "sms": SmsAdapter()}


def adapter_for(channel: str) -> Adapter:
    return ADAPTERS[channel]
