"""The seven groups the portal's work falls into: the menu shows its entries under them and the
dashboard folds its figures into them. An app names the group of each menu entry and of each
metric it registers; core names no app's pages or figures."""

from django.db import models
from django.utils.translation import pgettext_lazy

__all__ = ["Group"]


class Group(models.TextChoices):
    """In the order the menu and the dashboard show them."""

    DISPUTES = "disputes", pgettext_lazy("menu group", "Disputes")
    GRID = "grid", pgettext_lazy("menu group", "Grid governance")
    CONSULTATION = "consultation", pgettext_lazy("menu group", "Consultation")
    VILLAGE_AFFAIRS = "village_affairs", pgettext_lazy("menu group", "Village affairs")
    WORKFORCE = "workforce", pgettext_lazy("menu group", "Workforce")
    VOLUNTEERING = "volunteering", pgettext_lazy("menu group", "Volunteering")
    ADMINISTRATION = "administration", pgettext_lazy("menu group", "Administration")
