"""Privacy by design: the access log and break-the-glass grants.

Models refer to cases by string ("cases.Case") so this app does not import
``cases`` (DESIGN.md layers).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .constants import AccessAction


class AppendOnlyError(Exception):
    pass


class AccessLogQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("The access log is append-only.")

    def delete(self):
        raise AppendOnlyError("The access log is append-only.")


class AccessLogEntry(models.Model):
    """Who read, searched, exported or changed which client's or case's data, when, how and why.

    Append-only: the model refuses updates and deletes. Rows are written in
    bulk at the end of a request (``consent.access_log``), one INSERT per
    request whatever the page shows. Indexed for "who looked at client X"
    and "what did user Y look at".
    """

    at = models.DateTimeField(_("tijdstip"), default=timezone.now, db_index=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("gebruiker"), on_delete=models.PROTECT, related_name="+", null=True
    )
    case = models.ForeignKey(
        "cases.Case",
        verbose_name=_("casus"),
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
        null=True,
        blank=True,
    )
    client = models.ForeignKey(
        "cases.Client",
        verbose_name=_("cliënt"),
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
        null=True,
        blank=True,
    )
    action = models.CharField(_("handeling"), max_length=12, choices=AccessAction.choices)
    route = models.CharField(_("route"), max_length=200)
    purpose = models.CharField(_("doel"), max_length=100, blank=True)
    task = models.CharField(_("taak (pet)"), max_length=16, blank=True)
    reason = models.CharField(_("reden"), max_length=500, blank=True)
    detail = models.CharField(_("toelichting"), max_length=200, blank=True)

    objects = AccessLogQuerySet.as_manager()

    class Meta:
        verbose_name = _("toegangslogregel")
        verbose_name_plural = _("toegangslog")
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["client", "at"], name="consent_accesslog_client_at"),
            models.Index(fields=["case", "at"], name="consent_accesslog_case_at"),
            models.Index(fields=["user", "at"], name="consent_accesslog_user_at"),
            models.Index(fields=["at"], name="consent_accesslog_at"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.user_id} {self.action} {self.route}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnlyError("The access log is append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("The access log is append-only.")


class BreakGlassGrant(models.Model):
    """Temporary access to a case outside one's team, with a stated reason, reviewed by the FG."""

    class Verdict(models.TextChoices):
        JUSTIFIED = "gerechtvaardigd", _("Gerechtvaardigd")
        UNJUSTIFIED = "niet_gerechtvaardigd", _("Niet gerechtvaardigd")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="break_glass_grants")
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="break_glass_grants")
    reason = models.TextField(_("reden"), max_length=2000)
    granted_at = models.DateTimeField(_("verleend op"), default=timezone.now)
    expires_at = models.DateTimeField(_("verloopt op"))
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    reviewed_at = models.DateTimeField(_("beoordeeld op"), null=True, blank=True)
    verdict = models.CharField(_("oordeel"), max_length=24, choices=Verdict.choices, blank=True)
    review_note = models.TextField(_("toelichting oordeel"), max_length=2000, blank=True)

    class Meta:
        verbose_name = _("doorbraak (break-the-glass)")
        verbose_name_plural = _("doorbraken (break-the-glass)")
        ordering = ["-granted_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(expires_at__gt=models.F("granted_at")), name="consent_breakglass_expires_after_grant"
            ),
        ]
        indexes = [models.Index(fields=["user", "case", "expires_at"], name="consent_breakglass_active")]

    def __str__(self) -> str:
        return f"{self.user} – {self.case} ({self.granted_at:%d-%m-%Y %H:%M})"

    def is_active(self, now=None) -> bool:
        now = now or timezone.now()
        return self.granted_at <= now < self.expires_at
