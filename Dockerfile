# Two images from one file: the app (the default target: web, worker, beat and setup of
# docker-compose.yml, all through deploy/entrypoint.sh) and nginx in front of it (target nginx),
# which carries the app's collected static files and deploy/nginx.conf.template.

FROM python:3.11-slim AS app
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
WORKDIR /app
COPY . .
# Static files are collected with production storage (hashed names); the values below exist only
# so that settings load at build time and are never used at run time.
RUN pip install --no-cache-dir . \
    && DEBUG=false PORTAL_DOMAIN=kim.id ALLOWED_HOSTS=kim.id DATABASE_URL=postgres://build@build/build \
       REDIS_URL=redis://build:6379/0 \
       SECRET_KEY=build-time-only-not-a-secret-build-time-only-not-a-secret-0123 \
       python manage.py collectstatic --noinput -v0
# Non-root: the app never needs to write its own code; beat keeps its schedule in /tmp.
RUN useradd --create-home kim && chown -R kim /app/staticfiles
USER kim
EXPOSE 8000
# /healthz over the loopback, as nginx would ask (its Host, HTTPS said by the proxy header).
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request as r; r.urlopen(r.Request('http://127.0.0.1:8000/healthz', headers={'Host': os.environ['PORTAL_DOMAIN'], 'X-Forwarded-Proto': 'https'}), timeout=4)"]
CMD ["deploy/entrypoint.sh", "web"]

FROM debian:bookworm-slim AS nginx
# Debian's nginx with its brotli modules (the same packages deploy/prod.py uses), envsubst for
# the template, curl for the health check.
RUN apt-get update \
    && apt-get install -y --no-install-recommends nginx libnginx-mod-http-brotli-filter \
       libnginx-mod-http-brotli-static gettext-base curl ca-certificates \
    && rm -rf /var/lib/apt/lists/* \
    && mkdir -p /etc/kim/nginx-conf/modules /etc/kim/nginx-conf/http /var/cache/kim-nginx/cache \
       /var/cache/kim-nginx/tmp \
    && chown -R www-data:www-data /var/cache/kim-nginx
COPY --from=app /app/staticfiles /srv/static
COPY deploy/nginx.conf.template deploy/nginx/render.sh /etc/kim/
COPY deploy/nginx/brotli-modules.conf /etc/kim/nginx-conf/modules/brotli.conf
COPY deploy/nginx/brotli.conf /etc/kim/nginx-conf/http/brotli.conf
# Fixed by the image; PORTAL_DOMAIN and MEDIA_UPSTREAM come from docker-compose.yml, the
# certificate from the mounted /etc/kim/tls.
ENV NGINX_USER=www-data NGINX_STATE=/var/cache/kim-nginx NGINX_CONF_DIR=/etc/kim/nginx-conf \
    NGINX_ACCESS_LOG=/dev/stdout NGINX_ERROR_LOG=/dev/stderr \
    NGINX_HTTP_LISTEN=80 NGINX_HTTPS_LISTEN=443 NGINX_HTTPS_PORT=443 \
    TLS_CERT=/etc/kim/tls/cert.pem TLS_KEY=/etc/kim/tls/key.pem \
    STATIC_ROOT=/srv/static KIM_UPSTREAM=web:8000 MAX_UPLOAD_MB=160
EXPOSE 80 443
HEALTHCHECK --interval=15s --timeout=5s --start-period=10s --retries=3 \
    CMD ["sh", "-c", "curl -fsk -o /dev/null -H \"Host: $PORTAL_DOMAIN\" https://127.0.0.1/healthz"]
CMD ["sh", "-c", "/etc/kim/render.sh /etc/kim/nginx.conf.template /etc/kim/nginx.conf && exec nginx -c /etc/kim/nginx.conf -g 'daemon off;'"]

# The default target: the app.
FROM app
