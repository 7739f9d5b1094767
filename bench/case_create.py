"""Logging a dispute case through the service, as the intake form does (its submission key
claimed and recorded, one party, the workflow event, history and tallies, one transaction),
against a bare INSERT of the case row in a transaction of its own with the history trigger
firing: time and statements of each, alternated create by create.

    .venv/bin/python bench/case_create.py [--runs 200] [--database portal_bench_case_create]

The issue "Every page fast" asks for the service at most 3× the bare INSERT.
"""

import argparse
import statistics
import time
import uuid
from datetime import date

from _setup import setup

PARTY = {"side": "applicant", "name": "王某某", "phone": "13912345678", "id_number": ""}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", default="portal_bench_case_create")
    parser.add_argument("--runs", type=int, default=200, help="creates of each kind")
    args = parser.parse_args()
    setup(args.database)

    import pghistory
    from django.db import connection, transaction
    from django.test import RequestFactory
    from django.test.utils import CaptureQueriesContext

    from core.forms.base import save_once
    from core.models import AdministrativeUnit, User
    from disputes.models import CaseCategory, DisputeCase
    from disputes.models.disputes import level_of
    from disputes.services import case_intake, street_of

    user = User.objects.get(username="meiyuan_grid")
    unit = AdministrativeUnit.objects.get(pk=user.memberships.first().unit_id)
    street = street_of(unit)
    category = CaseCategory.objects.get_or_create(name="邻里")[0]
    request = RequestFactory().post("/cases/new/")
    request.user = user
    today = date.today()
    run = uuid.uuid4().hex[:8]

    def service():
        return save_once(
            request,
            uuid.uuid4(),
            lambda: case_intake(
                by=user,
                unit=unit,
                source="visit",
                category=category,
                received_on=today,
                description="邻里噪音纠纷（基准测试）",
                parties=[PARTY],
            ),
            "governance:case_list",
        )

    made = iter(range(10**9))

    def bare():
        case = DisputeCase(
            number=f"BENCH-{run}-{next(made)}",
            street=street,
            unit=unit,
            source="visit",
            category=category,
            received_on=today,
            description="邻里噪音纠纷（基准测试）",
            handling_level=level_of(unit),
            created_by=user,
        )
        with transaction.atomic(), pghistory.context(user=user.pk, reason="bench"):
            DisputeCase.objects.bulk_create([case])

    statements = {}
    for name, create in (("service", service), ("bare INSERT", bare)):
        create()  # warm
        with CaptureQueriesContext(connection) as captured:
            create()
        statements[name] = len(captured)
    timings = {"service": [], "bare INSERT": []}
    for _ in range(args.runs):
        for name, create in (("service", service), ("bare INSERT", bare)):
            began = time.perf_counter()
            create()
            timings[name].append(time.perf_counter() - began)
    print(f"{args.runs} creates of each, alternated")
    for name, samples in timings.items():
        median = statistics.median(samples) * 1000
        print(f"{name}: median {median:.2f} ms, {statements[name]} statements")
    ratio = statistics.median(timings["service"]) / statistics.median(timings["bare INSERT"])
    print(f"ratio service / bare INSERT: {ratio:.2f} (the issue asks at most 3)")


if __name__ == "__main__":
    main()
