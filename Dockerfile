FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
WORKDIR /app
COPY . .
# Static files are collected with production storage (hashed names); the values below exist only
# so that settings load at build time and are never used at run time.
RUN pip install --no-cache-dir . \
    && DEBUG=false PORTAL_DOMAIN=kim.id ALLOWED_HOSTS=kim.id DATABASE_URL=postgres://build@build/build \
       SECRET_KEY=build-time-only-not-a-secret-build-time-only-not-a-secret-0123 \
       python manage.py collectstatic --noinput -v0
RUN useradd --create-home kim && chown -R kim /app
USER kim
EXPOSE 8000
CMD ["gunicorn", "kimportal.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3"]
