"""Demo records of the volunteer service (filled in below)."""

from governance.demo import register_loader


def load_volunteers() -> str:
    return ""


register_loader("volunteers", load_volunteers, order=50)
