"""The role table: which role may do what, and at which levels it is held."""

import pytest

from core.models import UnitLevel
from core.roles import ROLES, Action

CASES = {"log_cases", "handle_cases"}
EXPECTED = {
    "district_staff": (
        {"district"},
        {"view", "manage_units", "manage_accounts", "view_history", "manage_registries", *CASES}
        | {"manage_workforce", "manage_training", "manage_competition", "judge"},
    ),
    "street_official": (
        {"street"},
        {"view", "manage_accounts", "view_history", "manage_registries", *CASES}
        | {"manage_workforce", "manage_training"},
    ),
    "community_worker": ({"community", "village"}, {"view", "view_history", *CASES}),
    "grid_worker": ({"grid"}, {"view", *CASES}),
    "village_clerk": ({"community", "village"}, {"view", "draft_disclosure"}),
    "supervisor": ({"community", "village"}, {"view", "review_disclosure", "file_findings"}),
    "observer": ({"community", "village"}, {"view", "file_findings"}),
    "volunteer_leader": ({"street", "community", "village"}, {"view"}),
    "competition_judge": ({"district", "street"}, {"judge"}),
}
# Consultation (三会协商): demands for grid workers up; meetings and projects for communities up.
for _key in ("district_staff", "street_official", "community_worker"):
    EXPECTED[_key][1].update({"log_demands", "run_consultation"})
EXPECTED["grid_worker"][1].add("log_demands")
# Volunteer service (the volunteers app).
VOLUNTEERING = {"manage_volunteers", "record_service", "verify_hours"}
EXPECTED["points_staff"] = ({"community", "village"}, {"view", "redeem_points"})
for _key, _extra in {
    "district_staff": {*VOLUNTEERING, "redeem_points"},
    "street_official": VOLUNTEERING,
    "community_worker": VOLUNTEERING,
    "volunteer_leader": {"record_service"},
}.items():
    EXPECTED[_key] = (EXPECTED[_key][0], EXPECTED[_key][1] | _extra)
# 月报 (the dashboards app): signed at the unit itself by its officials.
for _key in ("district_staff", "street_official", "community_worker"):
    EXPECTED[_key][1].add("submit_monthly_report")
# 一老一小 care (the care app): the grid, its community and street see and keep people in care;
# the district sets the plan and reads the access log, and opens no one's record.
for _key in ("street_official", "community_worker", "grid_worker"):
    EXPECTED[_key][1].update({"care_view", "care_keep"})
EXPECTED["district_staff"][1].add("care_plan")
# Open interfaces (the interfaces app): the district issues and revokes API keys.
EXPECTED["district_staff"][1].add("manage_api_keys")


@pytest.mark.parametrize("key", sorted(EXPECTED))
def test_the_role_table_says_where_each_role_is_held_and_what_it_may_do(key):
    levels, actions = EXPECTED[key]
    assert set(ROLES[key].levels) == levels
    assert set(ROLES[key].actions) == actions


def test_every_role_is_in_the_table_and_no_other():
    assert set(ROLES) == set(EXPECTED)


def test_only_the_district_department_manages_units():
    assert [k for k, r in ROLES.items() if Action.MANAGE_UNITS in r.actions] == ["district_staff"]


def test_every_level_is_known():
    for role in ROLES.values():
        assert role.levels <= set(UnitLevel.values)
