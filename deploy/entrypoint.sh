#!/bin/sh
# The command line of every process of the production stack, in one place. docker-compose.yml
# (its services and the image's CMD) and deploy/prod.sh (this machine) both run
# `deploy/entrypoint.sh ROLE`; tests/prod/test_compose.py checks that they run the same roles.
# Machine-specific values come from the environment: WEB_BIND (where gunicorn listens) and
# BEAT_SCHEDULE (beat's state file).
set -eu
cd "$(dirname "$0")/.."

case "${1:-}" in
  setup)
    # Once per start, before the others: schema, region tree, static files, buckets. Each step
    # is idempotent.
    python manage.py migrate --noinput
    python manage.py load_regions
    python manage.py collectstatic --noinput -v0
    python deploy/s3_buckets.py
    ;;
  web)
    # bench/load.py measured this on 2 cores: 2 gthread workers × 4 threads (rendering is CPU
    # work; threads overlap the waits on PostgreSQL and Redis, and keep nginx's connections).
    exec gunicorn kimportal.wsgi:application \
      --bind "${WEB_BIND:-0.0.0.0:8000}" \
      --workers 2 --threads 4 --worker-class gthread \
      --keep-alive 5 --backlog 2048 \
      --graceful-timeout 20 --log-level warning
    ;;
  worker)
    exec celery -A kimportal worker --loglevel=INFO
    ;;
  beat)
    exec celery -A kimportal beat --loglevel=INFO \
      --schedule "${BEAT_SCHEDULE:-/tmp/celerybeat-schedule}"
    ;;
  *)
    echo "usage: $0 setup|web|worker|beat" >&2
    exit 2
    ;;
esac
