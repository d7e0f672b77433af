# shellcheck shell=bash
# Sourced by .ci/run: makes sure a Docker daemon is reachable for the container tests.
# Installs Debian's docker.io (dockerd + CLI) and busybox-static (the offline test image's rootfs)
# when missing, starts dockerd by hand when it is not running (no systemd on CI machines), and
# waits up to 60 s for `docker info`. Keeps dockerd's iptables on: without them containers on a
# bridge network cannot reach each other. On failure it prints why and exits .ci/run non-zero.

ploy_docker_fail() {
  echo "docker: $*" >&2
  # The daemon's log only when this script started it (an older one would mislead).
  [ -n "${ploy_docker_pid:-}" ] && tail -n 30 /tmp/ploy-ci-dockerd.log >&2
  echo "0 passed, 1 failed"
  exit 1
}

ploy_docker_need=()
ploy_docker_pid=
command -v dockerd >/dev/null || ploy_docker_need+=(docker.io)
# The test image's rootfs is /bin/busybox, which must be the static build (no libc in the image).
dpkg-query -W -f='${Status}' busybox-static 2>/dev/null | grep -q 'install ok installed' || ploy_docker_need+=(busybox-static)
if [ ${#ploy_docker_need[@]} -gt 0 ]; then
  echo "installing ${ploy_docker_need[*]}"
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${ploy_docker_need[@]}" >/dev/null; } \
    || ploy_docker_fail "apt-get install ${ploy_docker_need[*]} failed"
fi
command -v docker >/dev/null || ploy_docker_fail "the docker CLI is missing after installing docker.io"

# The tests talk to the socket through DOCKER_HOST when set, /var/run/docker.sock otherwise.
if ! docker info >/dev/null 2>&1; then
  if [ -n "${DOCKER_HOST:-}" ]; then
    ploy_docker_fail "DOCKER_HOST=$DOCKER_HOST is set but no daemon answers there"
  fi
  echo "starting dockerd (log: /tmp/ploy-ci-dockerd.log)"
  # setsid: the daemon outlives this script's process group; it is left running for later runs.
  setsid dockerd --host unix:///var/run/docker.sock >/tmp/ploy-ci-dockerd.log 2>&1 </dev/null &
  ploy_docker_pid=$!
  for _ in $(seq 1 60); do
    docker info >/dev/null 2>&1 && break
    kill -0 "$ploy_docker_pid" 2>/dev/null || ploy_docker_fail "dockerd exited while starting"
    sleep 1
  done
  docker info >/dev/null 2>&1 || ploy_docker_fail "dockerd did not answer within 60 s"
fi
echo "Docker $(docker version --format '{{.Server.Version}}' 2>/dev/null) (API $(docker version --format '{{.Server.APIVersion}}' 2>/dev/null))"
unset ploy_docker_need ploy_docker_pid
