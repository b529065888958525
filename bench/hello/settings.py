"""The benchmark's floor: the smallest Django app, served by the same gunicorn as kimportal.

Whatever a kimportal page costs above this is the project's own (middleware, queries, templates).
"""

import os

DEBUG = False
SECRET_KEY = os.environ.get("SECRET_KEY", "bench-hello-" + "x" * 50)
ALLOWED_HOSTS = ["*"]
ROOT_URLCONF = "bench.hello.urls"
INSTALLED_APPS: list[str] = []
MIDDLEWARE: list[str] = []
DATABASES: dict = {}
USE_TZ = True
LOGGING_CONFIG = None
