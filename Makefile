# The two commands: `make run` (portal with demo data on SQLite) and `make test` (whole suite).
PYTHON ?= python3.11
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 8000
# Test processes (pytest-xdist); each gets its own test database and Redis database.
JOBS ?= 2

.PHONY: run test install lint format worker beat bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $@

install: $(VENV)/.installed

run: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_regions
	PORTAL_PORT=$(PORT) $(BIN)/python manage.py seed_demo
	@echo "kim.id is at http://localhost:$(PORT)/ (kelola: http://kelola.localhost:$(PORT)/)"
	PORTAL_PORT=$(PORT) $(BIN)/python manage.py runserver $(PORT)

test: install
	$(BIN)/python -m pytest -n $(JOBS) $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

worker: install
	$(BIN)/celery -A kimportal worker --loglevel=INFO

beat: install
	$(BIN)/celery -A kimportal beat --loglevel=INFO

clean:
	rm -rf $(VENV) db.sqlite3 media private-media staticfiles

# Scale data and the load benchmark (issue 8): PostgreSQL and Redis on this machine, wrk installed
# (apt-get install wrk). The database must exist (createdb kim_scale).
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/kim_scale
BENCH_REDIS_URL ?= redis://127.0.0.1:6379/6
BENCH_COMMUNITIES ?= 10000
BENCH_POSTS ?= 1000000
BENCH_SECONDS ?= 10
.PHONY: bench-seed bench-load bench-nginx

bench-seed: install
	DATABASE_URL=$(BENCH_DATABASE_URL) $(BIN)/python manage.py migrate --noinput
	DATABASE_URL=$(BENCH_DATABASE_URL) $(BIN)/python manage.py load_regions
	time env DATABASE_URL=$(BENCH_DATABASE_URL) $(BIN)/python manage.py seed_demo \
		--communities $(BENCH_COMMUNITIES) --posts $(BENCH_POSTS)
	DATABASE_URL=$(BENCH_DATABASE_URL) $(BIN)/python manage.py refresh_stats

bench-load: install
	-$(BIN)/python bench/load.py --database-url $(BENCH_DATABASE_URL) \
		--redis-url $(BENCH_REDIS_URL) --duration $(BENCH_SECONDS)
	$(BIN)/python bench/queries.py --database-url $(BENCH_DATABASE_URL) \
		--redis-url $(BENCH_REDIS_URL)

# The production stack on this machine (deploy/prod.py): nginx, gunicorn, a Celery worker and
# beat, moto_server as the object store, on this machine's PostgreSQL and Redis, DEBUG off. Needs
# Debian's nginx (apt-get install nginx libnginx-mod-http-brotli-filter
# libnginx-mod-http-brotli-static). State, logs and pids in .prod/ (PROD_DIR).
.PHONY: prod prod-stop prod-smoke

prod: install
	$(BIN)/python deploy/prod.py start

prod-stop:
	$(BIN)/python deploy/prod.py stop

# Starts the stack on a fresh database (kim_smoke), checks it through nginx, stops it.
prod-smoke: install
	$(BIN)/python deploy/smoke.py

# Issue 12's row: hot anonymous pages through nginx's proxy cache against a static file nginx
# serves itself (deploy/prod.py's stack on a fresh demo database; needs nginx and wrk).
bench-nginx: install
	$(BIN)/python bench/nginx.py --duration $(BENCH_SECONDS)
