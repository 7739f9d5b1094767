"""The load mix for bench/load.py: street officials logging and moving cases, the district reading
its dashboard, and the public reading the portal's public pages. Every case the portal
acknowledges (a redirect to the new case) is written to LOAD_ACKNOWLEDGED, one number a line, so the
harness can check that none is missing after a fault. The time of every failed request goes to
LOAD_FAILURES, so the harness can say when failures began and ended."""

import os
import random
import re
import time
from datetime import date

from locust import HttpUser, between, events, task

PASSWORD = "Gangcheng-2026"
ACKNOWLEDGED = os.environ.get("LOAD_ACKNOWLEDGED", "var/load/acknowledged.txt")
CASE_URL = re.compile(r"/cases/(\d{9}-\d{4}-\d{5})/")
PUBLIC_PATHS = [p for p in os.environ.get("LOAD_PUBLIC_PATHS", "/").split(",") if p]
FAILURES = os.environ.get("LOAD_FAILURES", "var/load/failures.txt")


@events.request.add_listener
def note_failure(exception=None, **_):
    if exception is not None:
        with open(FAILURES, "a", encoding="utf-8") as out:
            out.write(f"{time.time():.3f}\n")


def hidden(html: str, name: str) -> str:
    found = re.search(rf'name="{name}" value="([^"]*)"', html)
    return found.group(1) if found else ""


def first_option(html: str, select: str) -> str:
    block = re.search(rf'<select name="{select}".*?</select>', html, re.S)
    found = re.search(r'<option value="(\d+)"', block.group(0)) if block else None
    return found.group(1) if found else ""


class Signed(HttpUser):
    abstract = True
    username = ""

    def on_start(self):
        # Like a person, try again when the portal is busy (a fault may hit the first login).
        for _attempt in range(30):
            page = self.client.get("/accounts/login/", name="login form")
            response = self.client.post(
                "/accounts/login/",
                {
                    "username": self.username,
                    "password": PASSWORD,
                    "csrfmiddlewaretoken": hidden(page.text, "csrfmiddlewaretoken"),
                },
                name="log in",
            )
            if response.ok and "/accounts/login/" not in response.url:
                return
            time.sleep(1)


class StreetOfficial(Signed):
    weight = 3
    wait_time = between(1, 3)
    username = "aishan"

    @task(4)
    def case_list(self):
        self.client.get("/cases/?status=accepted", name="/cases/")

    @task(2)
    def log_a_case(self):
        form = self.client.get("/cases/new/", name="/cases/new/ form").text
        with self.client.post(
            "/cases/new/",
            {
                "csrfmiddlewaretoken": hidden(form, "csrfmiddlewaretoken"),
                "submission_key": hidden(form, "submission_key"),
                "unit": first_option(form, "unit"),
                "source": "grid",
                "category": first_option(form, "category"),
                "received_on": date.today().isoformat(),
                "description": "压测：楼上漏水影响楼下住户",
                "party-TOTAL_FORMS": "1",
                "party-INITIAL_FORMS": "0",
                "party-MIN_NUM_FORMS": "0",
                "party-MAX_NUM_FORMS": "10",
                "party-0-side": "applicant",
                "party-0-name": "压测住户",
            },
            name="/cases/new/",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            location = response.headers.get("Location", "")
            logged = CASE_URL.fullmatch(location) if response.status_code == 302 else None
            if not logged:
                response.failure(f"{response.status_code} {location}")
                return
        with open(ACKNOWLEDGED, "a", encoding="utf-8") as out:
            out.write(logged.group(1) + "\n")
        self.move(logged.group(1))

    def move(self, number: str):
        page = self.client.get(f"/cases/{number}/", name="/cases/[number]/").text
        self.client.post(
            f"/cases/{number}/move/",
            {
                "csrfmiddlewaretoken": hidden(page, "csrfmiddlewaretoken"),
                "move": "mediate",
                "version": hidden(page, "version") or "1",
                "reason": "压测：开始调解",
            },
            name="/cases/[number]/move/",
        )


class DistrictStaff(Signed):
    weight = 1
    wait_time = between(2, 5)
    username = "district"

    @task(3)
    def dashboard(self):
        self.client.get("/dashboard/370117000000/?period=ytd", name="/dashboard/ (district)")

    @task(1)
    def drill_down(self):
        self.client.get(
            "/dashboard/370117001000/?period=quarter",
            headers={"HX-Request": "true"},
            name="/dashboard/ (street, htmx)",
        )


class Public(HttpUser):
    weight = 4
    wait_time = between(1, 3)

    @task
    def read(self):
        path = random.choice(PUBLIC_PATHS)  # noqa: S311 -- a load mix, not a secret
        self.client.get(path, name=path)
