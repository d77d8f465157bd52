#!/bin/sh
# Renders the nginx config from the environment into a writable runtime dir, then execs nginx
# in the foreground (extra arguments go to nginx, e.g. `entrypoint.sh -t` checks the config).
#
#   KEYDASH_API_UPSTREAM  host:port of the Keydash API (required), e.g. keydash-api:8000
#   KEYDASH_LISTEN        port or address:port to listen on (default 8080)
#   KEYDASH_REAL_IP_FROM  comma-separated addresses/CIDRs of proxies in front of nginx whose
#                         X-Forwarded-For is believed (default: none, the peer is the client)
#   KEYDASH_HSTS          true: send Strict-Transport-Security (only when served over HTTPS)
#   KEYDASH_WEB_ROOT      the built SPA (default /usr/share/keydash/web)
#   KEYDASH_NGINX_RUNTIME writable dir for the rendered config, pid and temp files (default /tmp/nginx)
set -eu

here="$(cd "$(dirname "$0")" && pwd)"
runtime="${KEYDASH_NGINX_RUNTIME:-/tmp/nginx}"
export KEYDASH_LISTEN="${KEYDASH_LISTEN:-8080}"
export KEYDASH_WEB_ROOT="${KEYDASH_WEB_ROOT:-/usr/share/keydash/web}"
export KEYDASH_API_UPSTREAM="${KEYDASH_API_UPSTREAM:-}"
real_ip_from="${KEYDASH_REAL_IP_FROM:-}"

fail() { echo "keydash-web cannot start: $*" >&2; exit 2; }

# Values land inside nginx directives: refuse anything that could close one and open another.
case "$KEYDASH_API_UPSTREAM" in
  "") fail "KEYDASH_API_UPSTREAM is required but not set (e.g. keydash-api:8000)" ;;
  *[!A-Za-z0-9.:_\[\]-]*) fail "KEYDASH_API_UPSTREAM must be host:port" ;;
esac
case "$KEYDASH_LISTEN" in
  *[!A-Za-z0-9.:\[\]]*) fail "KEYDASH_LISTEN must be a port or address:port" ;;
esac
case "$KEYDASH_WEB_ROOT" in
  *[!A-Za-z0-9./_-]*) fail "KEYDASH_WEB_ROOT must be a plain absolute path" ;;
  /*) ;;
  *) fail "KEYDASH_WEB_ROOT must be a plain absolute path" ;;
esac
case "${KEYDASH_HSTS:-false}" in
  true) export KEYDASH_HSTS_HEADER="max-age=31536000; includeSubDomains" ;;
  false|"") export KEYDASH_HSTS_HEADER="" ;;
  *) fail "KEYDASH_HSTS must be true or false" ;;
esac

mkdir -p "$runtime"
for snippet in security-headers.conf api-proxy.conf api-errors.conf api-error-headers.conf; do
  cp "$here/$snippet" "$runtime/$snippet"
done

{
  echo "# Rendered from KEYDASH_REAL_IP_FROM by entrypoint.sh."
  if [ -n "$real_ip_from" ]; then
    for network in $(echo "$real_ip_from" | tr ',' ' '); do
      case "$network" in
        *[!0-9A-Fa-f.:/]*) fail "KEYDASH_REAL_IP_FROM: '$network' is not an address or CIDR" ;;
      esac
      echo "set_real_ip_from $network;"
    done
    echo "real_ip_header X-Forwarded-For;"
    # Skip every trusted hop from the right: the first untrusted one is the client.
    echo "real_ip_recursive on;"
  fi
} > "$runtime/real-ip.conf"

envsubst '${KEYDASH_LISTEN} ${KEYDASH_WEB_ROOT} ${KEYDASH_API_UPSTREAM} ${KEYDASH_HSTS_HEADER}' \
  < "$here/nginx.conf.template" > "$runtime/nginx.conf"

exec nginx -p "$runtime/" -c "$runtime/nginx.conf" "$@"
