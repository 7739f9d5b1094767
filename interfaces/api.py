"""The two interfaces, assembled from the routers the apps added to core (core/api.py):
Open311 GeoReport v2 at /open311/v2/ and the open-data API at /api/v1/. Built with django-ninja:
pydantic schemas that are also the OpenAPI 3 document, and plain Django views underneath.

Every error answers in Open311's shape, `[{"code": 400, "description": "…"}]` (in XML under
/open311/v2/…xml), with the status the spec gives: 400 bad input, 403 bad key or out of the key's
reach, 404 unknown, 409 an Idempotency-Key replayed with another body, 429 over the key's rate
(or, without a key, over the client address's). Nothing is changed by a request that errs."""

from django.http import Http404
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Schema
from ninja.errors import HttpError, ValidationError

from core.api import OPEN311, OPEN_DATA, api_error, api_routers

__all__ = ["build", "ErrorItem"]


class ErrorItem(Schema):
    code: int
    description: str


ERROR_STATUSES = {
    "400": "Bad input",
    "403": "Bad API key, or out of its reach",
    "404": "Not found",
    "409": "Idempotency-Key already sent with another body",
    "429": "Too many requests: over the key's rate, or keyless, over the address's rate",
}


class PortalApi(NinjaAPI):
    def get_openapi_schema(self, *args, **kwargs):
        """Each operation also documents the error shape it may answer with."""
        schema = super().get_openapi_schema(*args, **kwargs)
        schema.setdefault("components", {}).setdefault("schemas", {})["Errors"] = {
            "type": "array",
            "items": ErrorItem.model_json_schema(),
        }
        for path, operations in schema.get("paths", {}).items():
            errors = {"application/json": {"schema": {"$ref": "#/components/schemas/Errors"}}}
            if path.endswith(".xml"):
                errors = {"application/xml": {"schema": {}}}
            for operation in operations.values():
                responses = operation.setdefault("responses", {})
                for status, description in ERROR_STATUSES.items():
                    responses.setdefault(status, {"description": description, "content": errors})
        return schema


def _validation_description(exc: ValidationError) -> str:
    parts = []
    whole = _("request")  # outside the f-string, where makemessages finds it
    for error in exc.errors:
        where = [str(p) for p in error.get("loc", ()) if p not in ("body", "form", "query", "data")]
        parts.append(f"{'.'.join(where) or whole}: {error.get('msg', '')}")
    return "; ".join(parts) or _("The request could not be read.")


def _with_error_shape(api: NinjaAPI) -> None:
    api.add_exception_handler(
        HttpError, lambda request, exc: api_error(request, exc.status_code, str(exc))
    )
    api.add_exception_handler(
        ValidationError,
        lambda request, exc: api_error(request, 400, _validation_description(exc)),
    )
    api.add_exception_handler(
        Http404, lambda request, exc: api_error(request, 404, _("Not found."))
    )


def build() -> tuple[NinjaAPI, NinjaAPI]:
    open311 = PortalApi(
        title="Open311 GeoReport v2 · 钢城区",
        version="v2",
        description=_(
            "Residents' demands and safety hazard reports over Open311 GeoReport v2. Reads need "
            "no key; filing a request "
            "needs an API key the district issues."
        ),
        urls_namespace="open311",
        docs_url=None,
    )
    open_data = PortalApi(
        title="Open data · 钢城区",
        version="v1",
        description=_(
            "The district's public data, read-only and paginated: units, village disclosure, "
            "decisions, rectified items, surveys, public figures, service points, delivered "
            "projects. It carries no personal data."
        ),
        urls_namespace="open_data",
        docs_url=None,
    )
    for api, name in ((open311, OPEN311), (open_data, OPEN_DATA)):
        _with_error_shape(api)
        for entry in api_routers(name):
            api.add_router(entry.prefix, entry.router)
    return open311, open_data
