"""schemathesis against the read API, in process (the WSGI app, no network), on the shared
world with public and hidden rows of every kind: no server error, and no answer that its
OpenAPI description does not allow (status, content type, body).

Short by design: a bounded, derandomised number of examples per operation (the same examples
on every run), so the suite stays fast and a failure reproduces.
"""

import pytest
import schemathesis
from django.conf import settings
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hypothesis_settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.opendata.helpers import assert_no_secrets

pytestmark = pytest.mark.django_db

EXAMPLES = 30
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.fixture
def keep_connection():
    """The WSGI app closes the database connection around each request (request_started and
    request_finished), which would end the test's transaction; Django's own test client
    disconnects the same handler."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


def test_the_api_keeps_to_its_description(w, keep_connection):
    headers = {"Host": settings.PORTAL_DOMAIN}
    schema = schemathesis.openapi.from_wsgi(
        "/api/v1/openapi.json", get_wsgi_application(), headers=headers
    )
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == 8
    failures = {}
    for operation in operations:

        @given(case=operation.as_strategy())
        @hypothesis_settings(
            max_examples=EXAMPLES,
            derandomize=True,
            database=None,
            deadline=None,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        def run(case):
            response = case.call(headers=headers)
            case.validate_response(response, checks=CHECKS)
            if response.status_code == 200:
                assert_no_secrets(response.text)

        try:
            run()
        except Exception as error:  # report every operation, not only the first that fails
            failures[operation.label] = error
    assert not failures, "\n\n".join(f"{label}:\n{error}" for label, error in failures.items())
