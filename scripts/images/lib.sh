# Sourced by the image scripts: one place for podman's settings on these machines.
# The stock containers.conf picks crun and ulimits that fail here; runc with modest limits works.
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
STATE="$REPO/.tools/images"
mkdir -p "$STATE"
if [ -z "${CONTAINERS_CONF:-}" ]; then
  export CONTAINERS_CONF="$STATE/containers.conf"
  cat > "$CONTAINERS_CONF" <<'CONF'
[engine]
runtime = "runc"

[containers]
default_ulimits = ["nofile=1024:4096", "nproc=1024:4096"]
CONF
fi
# Registries are out of reach: every base image is a local stand-in, never pulled.
PODMAN=(podman)
CA_BUNDLE=/etc/ssl/certs/ca-certificates.crt

say() { printf '\n==> %s\n' "$*"; }

# The default of a Dockerfile ARG, so the stand-ins are named exactly as the Dockerfiles expect.
dockerfile_arg() {
  sed -n "s/^ARG $2=//p" "$REPO/$1" | head -n1
}
