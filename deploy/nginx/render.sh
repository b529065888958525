#!/bin/sh
# Render deploy/nginx.conf.template: `render.sh TEMPLATE OUTPUT`, values from the environment.
# envsubst replaces only the names below, so nginx's own variables ($host, ...) stay; a name
# left unset stops here rather than becoming an empty directive. Used by deploy/prod.py and by
# the nginx image of docker-compose.yml (Dockerfile, target nginx).
set -eu
VARS='${NGINX_USER} ${NGINX_STATE} ${NGINX_CONF_DIR} ${NGINX_ACCESS_LOG} ${NGINX_ERROR_LOG}
${NGINX_HTTP_LISTEN} ${NGINX_HTTPS_LISTEN} ${NGINX_HTTPS_PORT} ${TLS_CERT} ${TLS_KEY}
${PORTAL_DOMAIN} ${STATIC_ROOT} ${KIM_UPSTREAM} ${MAX_UPLOAD_MB} ${MEDIA_UPSTREAM}'
for name in $(echo "$VARS" | tr -d '${}'); do
  eval "value=\${$name:-}"
  if [ -z "$value" ]; then
    echo "render.sh: $name is not set" >&2
    exit 1
  fi
done
envsubst "$VARS" < "$1" > "$2"
