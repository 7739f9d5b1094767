"""Village-affairs disclosure (村务公开): the catalogue of what a village must disclose and when,
disclosure posts with their fund lines, photos and "1+N" channels, and the review by the
village supervision committee. A published post never changes (a database trigger refuses it):
a correction is a new edition that names its reason, and the earlier edition stays readable."""

import calendar
from datetime import date, timedelta
from decimal import Decimal

import pghistory
import pgtrigger
from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models.scope import ScopedQuerySet
from core.models.tallies import Fact, Tallied, TallyingQuerySet
from core.models.units import AdministrativeUnit
from core.models.versioning import Versioned

__all__ = [
    "Cadence",
    "Channel",
    "DisclosureCategory",
    "DisclosureDue",
    "DisclosureItem",
    "DisclosurePost",
    "FundLine",
    "PostChannel",
    "PostPhoto",
    "PostReview",
    "PostStatus",
    "fen_to_yuan",
    "period_for",
]


class DisclosureCategory(models.TextChoices):
    PARTY = "party", _("Party affairs")
    VILLAGE = "village", _("Village affairs")
    FINANCE = "finance", _("Finances")
    INDUSTRY = "industry", _("Industry projects")
    FUNDS = "funds", _("Use of funds")
    RELIEF = "relief", _("Subsidies and relief")
    RESOLUTIONS = "resolutions", _("Villagers' meeting decisions")


class Cadence(models.TextChoices):
    IMMEDIATE = "immediate", _("Immediately")
    MONTHLY = "monthly", _("Monthly")
    QUARTERLY = "quarterly", _("Quarterly")
    YEARLY = "yearly", _("Yearly")


# Days after a period's end by which its disclosure is due.
GRACE_DAYS = {Cadence.MONTHLY: 10, Cadence.QUARTERLY: 10, Cadence.YEARLY: 31}


def period_for(cadence: str, day: date) -> tuple[date, date]:
    """The calendar month, quarter or year of the given cadence that contains `day`."""
    if cadence == Cadence.MONTHLY:
        return day.replace(day=1), day.replace(day=calendar.monthrange(day.year, day.month)[1])
    if cadence == Cadence.QUARTERLY:
        first = 3 * ((day.month - 1) // 3) + 1
        last = first + 2
        return date(day.year, first, 1), date(
            day.year, last, calendar.monthrange(day.year, last)[1]
        )
    if cadence == Cadence.YEARLY:
        return date(day.year, 1, 1), date(day.year, 12, 31)
    raise ValueError(f"no periods for cadence {cadence}")


def fen_to_yuan(fen: int | None) -> Decimal | None:
    return None if fen is None else (Decimal(fen) / 100).quantize(Decimal("0.01"))


class PostStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    IN_REVIEW = "in_review", _("Awaiting review")
    RETURNED = "returned", _("Returned with comments")
    PUBLISHED = "published", _("Published")


class Channel(models.TextChoices):
    PAPER = "paper", _("Village paper 《新柳桥》")
    WECHAT = "wechat", _("WeChat official account")
    VIDEO = "video", _("Video account")
    BOARD = "board", _("Notice board")


class DisclosureQuerySet(TallyingQuerySet, ScopedQuerySet):
    scope_path = "unit__path"


@pghistory.track(meta={"db_table": "governance_disclosureitemevent"})
class DisclosureItem(models.Model):
    """One line of a village's catalogue: what must be disclosed, and how often."""

    unit = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("village"),
        on_delete=models.PROTECT,
        related_name="disclosure_items",
    )
    category = models.CharField(_("category"), max_length=16, choices=DisclosureCategory.choices)
    title = models.CharField(_("item"), max_length=120)
    cadence = models.CharField(_("cadence"), max_length=16, choices=Cadence.choices)
    starts_on = models.DateField(_("disclosed from"))
    active = models.BooleanField(_("in the catalogue"), default=True)

    objects = DisclosureQuerySet.as_manager()

    class Meta:
        db_table = "governance_disclosureitem"
        verbose_name = _("catalogue item")
        verbose_name_plural = _("catalogue items")
        ordering = ["category", "title"]
        constraints = [
            models.UniqueConstraint(
                fields=("unit", "title"), name="governance_%(class)s_unit_title"
            )
        ]

    def __str__(self) -> str:
        return self.title


class DisclosureDue(Tallied):
    """One period of a catalogue item that must be disclosed by `due_on`; fulfilled by the first
    published post of that item whose period covers it. Overdue from the day after `due_on`."""

    item = models.ForeignKey(DisclosureItem, on_delete=models.CASCADE, related_name="dues")
    unit = models.ForeignKey(AdministrativeUnit, on_delete=models.PROTECT, related_name="+")
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    due_on = models.DateField(_("due on"))
    fulfilled_on = models.DateField(_("disclosed on"), null=True, blank=True)
    post = models.ForeignKey(
        "DisclosurePost", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = DisclosureQuerySet.as_manager()

    class Meta:
        db_table = "governance_disclosuredue"
        verbose_name = _("disclosure due")
        verbose_name_plural = _("disclosures due")
        ordering = ["due_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=("item", "period_start"), name="governance_%(class)s_item_period"
            )
        ]

    def __str__(self) -> str:
        return f"{self.item} {self.period_start}–{self.period_end}"

    def is_overdue(self, today: date | None = None) -> bool:
        return self.fulfilled_on is None and self.due_on < (today or timezone.localdate())

    def tally_facts(self) -> list[Fact]:
        overdue_from = self.due_on + timedelta(days=1)
        facts = []
        if self.fulfilled_on is None or self.fulfilled_on >= overdue_from:
            facts.append(Fact(self.unit_id, overdue_from, "disclosure.overdue", 1))
            if self.fulfilled_on is not None:
                facts.append(Fact(self.unit_id, self.fulfilled_on, "disclosure.overdue", -1))
        return facts


_FROZEN = "{table}: a published disclosure cannot change; publish a correction instead"


@pghistory.track(meta={"db_table": "governance_disclosurepostevent"})
class DisclosurePost(Versioned, Tallied):
    unit = models.ForeignKey(
        AdministrativeUnit,
        verbose_name=_("village"),
        on_delete=models.PROTECT,
        related_name="disclosure_posts",
    )
    item = models.ForeignKey(
        DisclosureItem,
        verbose_name=_("catalogue item"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="posts",
    )
    category = models.CharField(_("category"), max_length=16, choices=DisclosureCategory.choices)
    title = models.CharField(_("title"), max_length=200)
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    body = models.TextField(_("text"))
    declared_income_fen = models.BigIntegerField(_("total income (fen)"), null=True, blank=True)
    declared_expense_fen = models.BigIntegerField(_("total expense (fen)"), null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=PostStatus.choices, default=PostStatus.DRAFT
    )
    edition = models.PositiveSmallIntegerField(_("edition"), default=1)
    corrects = models.OneToOneField(
        "self",
        verbose_name=_("corrects"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="corrected_by",
    )
    correction_reason = models.TextField(_("reason for the correction"), blank=True)
    published_on = models.DateField(_("published on"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("drafted by"),
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    objects = DisclosureQuerySet.as_manager()

    class Meta:
        db_table = "governance_disclosurepost"
        verbose_name = _("disclosure post")
        verbose_name_plural = _("disclosure posts")
        ordering = ["-period_end", "-id"]
        triggers = [
            pgtrigger.Protect(
                name="published_post_frozen",
                operation=pgtrigger.Update | pgtrigger.Delete,
                condition=pgtrigger.Q(old__status="published"),
            )
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")),
                name="governance_%(class)s_period_order",
            ),
        ]
        indexes = [
            # A village's published posts, newest first (its public list, the open-data API).
            models.Index(
                fields=["unit", "status", "-published_on", "-id"],
                name="disclosure_post_published",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("governance:post_detail", kwargs={"pk": self.pk})

    def get_public_url(self) -> str:
        return reverse("public:post", kwargs={"code": self.unit.code, "pk": self.pk})

    @property
    def is_published(self) -> bool:
        return self.status == PostStatus.PUBLISHED

    @property
    def editable(self) -> bool:
        return self.status in {PostStatus.DRAFT, PostStatus.RETURNED}

    def line_totals(self) -> dict[str, int]:
        totals = {FundLine.INCOME: 0, FundLine.EXPENSE: 0}
        for line in self.fund_lines.all():
            totals[line.direction] += line.amount_fen
        return totals

    def declared_income(self):
        return fen_to_yuan(self.declared_income_fen)

    def declared_expense(self):
        return fen_to_yuan(self.declared_expense_fen)

    def editions(self) -> list["DisclosurePost"]:
        """Every published edition of this post's series, oldest first."""
        first = self
        while first.corrects_id:
            first = first.corrects
        chain, current = [first], first
        while True:
            following = DisclosurePost.objects.filter(corrects=current).first()
            if following is None:
                break
            chain.append(following)
            current = following
        return chain

    def tally_facts(self) -> list[Fact]:
        if self.status == PostStatus.PUBLISHED and self.published_on:
            return [Fact(self.unit_id, self.published_on, "disclosure.published", 1)]
        return []


def _frozen_with_post(name: str, table: str) -> pgtrigger.Trigger:
    """Rows that belong to a published post are as frozen as the post itself."""
    return pgtrigger.Trigger(
        name=name,
        when=pgtrigger.Before,
        operation=pgtrigger.Insert | pgtrigger.Update | pgtrigger.Delete,
        func=f"""
            IF EXISTS (
                SELECT 1 FROM governance_disclosurepost p
                WHERE p.status = 'published'
                  AND p.id IN (
                      CASE WHEN TG_OP = 'INSERT' THEN NULL ELSE OLD.post_id END,
                      CASE WHEN TG_OP = 'DELETE' THEN NULL ELSE NEW.post_id END)
            ) THEN
                RAISE EXCEPTION '{_FROZEN.format(table=table)}';
            END IF;
            IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
            RETURN NEW;
        """,  # noqa: S608 -- constant SQL
    )


class FundLine(models.Model):
    INCOME, EXPENSE = "income", "expense"
    DIRECTIONS = [(INCOME, _("Income")), (EXPENSE, _("Expense"))]

    post = models.ForeignKey(DisclosurePost, on_delete=models.CASCADE, related_name="fund_lines")
    direction = models.CharField(_("income or expense"), max_length=8, choices=DIRECTIONS)
    item = models.CharField(_("line"), max_length=120)
    amount_fen = models.BigIntegerField(_("amount (fen)"))
    note = models.CharField(_("note"), max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        db_table = "governance_fundline"
        verbose_name = _("fund line")
        verbose_name_plural = _("fund lines")
        ordering = ["post", "order", "id"]
        triggers = [_frozen_with_post("fund_line_frozen", "fund line")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount_fen__gte=0), name="governance_%(class)s_amount_sign"
            )
        ]

    def __str__(self) -> str:
        return f"{self.item} {self.amount}"

    @property
    def amount(self) -> Decimal:
        return fen_to_yuan(self.amount_fen)


class PostPhoto(models.Model):
    post = models.ForeignKey(DisclosurePost, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField(_("photo or scan"), upload_to="disclosure/%Y/")
    thumbnail = models.ImageField(upload_to="disclosure/thumbs/%Y/", blank=True)
    caption = models.CharField(_("caption"), max_length=120, blank=True)

    class Meta:
        db_table = "governance_postphoto"
        verbose_name = _("photo or scan")
        verbose_name_plural = _("photos and scans")
        ordering = ["post", "id"]
        triggers = [_frozen_with_post("post_photo_frozen", "photo")]

    def __str__(self) -> str:
        return self.caption or self.image.name


class PostChannel(models.Model):
    """Where the same post also went out ("1+N"): the portal is the 1, these are the N."""

    post = models.ForeignKey(DisclosurePost, on_delete=models.CASCADE, related_name="channels")
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices)
    published_on = models.DateField(_("date"))
    reference = models.CharField(_("issue or link"), max_length=120, blank=True)

    class Meta:
        db_table = "governance_postchannel"
        verbose_name = _("channel")
        verbose_name_plural = _("channels")
        ordering = ["post", "published_on", "id"]
        triggers = [_frozen_with_post("post_channel_frozen", "channel")]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} {self.published_on}"


class PostReview(models.Model):
    """The supervision committee's word on a post submitted for review."""

    APPROVED, RETURNED = "approved", "returned"
    DECISIONS = [(APPROVED, _("Approved")), (RETURNED, _("Returned with comments"))]

    post = models.ForeignKey(DisclosurePost, on_delete=models.CASCADE, related_name="reviews")
    decision = models.CharField(_("decision"), max_length=16, choices=DECISIONS)
    comment = models.TextField(_("comments"), blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("by"), on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        db_table = "governance_postreview"
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        ordering = ["post", "at", "id"]

    def __str__(self) -> str:
        return f"{self.get_decision_display()} {self.at:%Y-%m-%d}"
