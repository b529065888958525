"""PostgreSQL restarts under the running app: the next requests succeed without restarting it.

The app (gunicorn subprocess, real settings) keeps its database connection between requests
(CONN_MAX_AGE); after a restart that connection is dead, and CONN_HEALTH_CHECKS must replace it
before the request uses it. The database is a private cluster in a temporary folder on a free
port; the shared PostgreSQL is never touched.
"""

import pytest

from tests.faults.harness import Browser, app_env, app_server, manage, private_cluster

pytestmark = pytest.mark.faults


def test_requests_succeed_after_postgresql_restarts():
    with private_cluster() as cluster:
        cluster.create_database("kim")
        env = app_env(DATABASE_URL=cluster.url("kim"))
        manage(env, "migrate", "--noinput", "-v0")
        with app_server(env) as port:
            browser = Browser(port)
            for path in ("/healthz", "/"):  # both read the database
                assert browser.get(path).status == 200
            cluster.restart()
            for path in ("/healthz", "/", "/healthz"):
                response = browser.get(path)
                assert response.status == 200, response.text[:2000]
