"""The district issues and revokes API keys; the key is shown once; nobody else reaches the page."""

import json
import re
import uuid

from interfaces.models import ApiKey

KEYS = "/interfaces/keys/"


def no_duplicate_keys(pairs):
    keys = [key for key, _value in pairs]
    assert len(keys) == len(set(keys)), keys
    return dict(pairs)


def issue(client, unit, name="数智智慧居民", per_minute="30", key=None):
    return client.post(
        KEYS,
        {
            "name": name,
            "unit": unit.pk,
            "per_minute": per_minute,
            "submission_key": str(key or uuid.uuid4()),
        },
    )


def test_the_district_issues_a_key_shown_once_that_files_a_demand(
    client_for, client, district, people
):
    staff = client_for(people.district_staff)
    response = issue(staff, district.meiyuan)
    key = ApiKey.objects.get()
    assert response.status_code == 303
    assert response["Location"] == f"{KEYS}{key.pk}/"
    assert 'id="new-key"' not in response.content.decode()
    shown = staff.get(response["Location"])
    assert shown.status_code == 200
    secret = re.search(r'id="new-key">([^<]+)<', shown.content.decode()).group(1)
    assert key.unit == district.meiyuan and secret.startswith(key.shown)
    # Once: a reload of the key's page, or the list, shows it no more.
    again = staff.get(response["Location"]).content.decode()
    assert secret not in again and 'id="new-key"' not in again and key.shown in again
    assert secret not in staff.get(KEYS).content.decode()
    filed = client.post(
        "/open311/v2/requests.json",
        {"service_code": "demand", "description": "路灯不亮", "api_key": secret},
    )
    assert filed.status_code == 201
    page = staff.get(KEYS).content.decode()
    assert key.shown in page and "数智智慧居民" in page


def test_a_double_submit_issues_one_key(client_for, district, people):
    staff = client_for(people.district_staff)
    once = uuid.uuid4()
    first = issue(staff, district.meiyuan, key=once)
    second = issue(staff, district.meiyuan, key=once)
    assert ApiKey.objects.count() == 1
    assert first.status_code == second.status_code == 303
    assert second["Location"] == first["Location"] == ApiKey.objects.get().get_absolute_url()
    # The secret is shown on the one view of the key's page, whichever submit got there first.
    assert 'id="new-key"' in staff.get(first["Location"]).content.decode()
    assert 'id="new-key"' not in staff.get(second["Location"]).content.decode()


def test_a_key_page_opens_only_for_the_district(client_for, district, people):
    key, _secret = ApiKey.issue(
        name="小程序", unit=district.meiyuan, per_minute=30, by=people.district_staff
    )
    page = client_for(people.district_staff).get(key.get_absolute_url())
    assert page.status_code == 200 and "小程序" in page.content.decode()
    assert 'id="new-key"' not in page.content.decode()
    for user in (people.aishan_official, people.meiyuan_worker, people.outsider):
        assert client_for(user).get(key.get_absolute_url()).status_code == 404


def test_bad_input_is_shown_next_to_the_field_and_issues_nothing(client_for, district, people):
    staff = client_for(people.district_staff)
    response = issue(staff, district.meiyuan, name="  ", per_minute="0")
    assert response.status_code == 200
    assert ApiKey.objects.count() == 0
    assert response.content.decode().count('class="field-error') >= 1 or "errorlist" in (
        response.content.decode()
    )


def test_revoking_stops_the_key(client_for, client, district, people):
    key, secret = ApiKey.issue(
        name="小程序", unit=district.meiyuan, per_minute=30, by=people.district_staff
    )
    staff = client_for(people.district_staff)
    assert staff.post(f"{KEYS}{key.pk}/revoke/").status_code == 302
    key.refresh_from_db()
    assert key.revoked_at is not None and key.revoked_by == people.district_staff
    filed = client.post(
        "/open311/v2/requests.json",
        {"service_code": "demand", "description": "路灯不亮", "api_key": secret},
    )
    assert filed.status_code == 403


def test_only_the_district_reaches_the_keys(client_for, client, district, people):
    key, _secret = ApiKey.issue(
        name="小程序", unit=district.meiyuan, per_minute=30, by=people.district_staff
    )
    for user in (people.aishan_official, people.meiyuan_worker, people.outsider):
        other = client_for(user)
        assert other.get(KEYS).status_code == 403
        assert other.post(f"{KEYS}{key.pk}/revoke/").status_code == 404
    assert client.get(KEYS).status_code == 302  # to the login
    key.refresh_from_db()
    assert key.revoked_at is None


def test_the_docs_page_renders_the_served_schemas_from_local_assets(client, district):
    page = client.get("/api/docs/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "/static/vendor/swagger-ui/swagger-ui-bundle.js" in html
    assert not re.search(r'(src|href)="(https?:)?//', html)  # every asset is the portal's own
    for schema in ("/open311/v2/openapi.json", "/api/v1/openapi.json"):
        # Swagger UI reads the schema as YAML, where a key given twice is an error.
        document = json.loads(client.get(schema).content, object_pairs_hook=no_duplicate_keys)
        assert document["openapi"].startswith("3.")
    assert 'data-schema-url="/open311/v2/openapi.json"' in html
    assert (
        'data-schema-url="/api/v1/openapi.json"'
        in client.get("/api/docs/?api=open-data").content.decode()
    )
    assert "/api/docs/" in client.get("/").content.decode()
