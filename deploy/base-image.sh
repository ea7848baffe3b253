#!/usr/bin/env bash
# A base image for deploy/Dockerfile made from Debian packages alone, for machines that cannot pull from a container
# registry (docs/operations.md, "Container image"): Debian 12 (bookworm) minbase with openjdk-17-jre-headless,
# installed by debootstrap from a Debian mirror and imported into the container engine. Then:
#   podman build --build-arg BASE=localhost/securecom-base:bookworm -f deploy/Dockerfile -t securecom .
#
# Usage: deploy/base-image.sh [TAG]      (default localhost/securecom-base:bookworm; run as root)
#   CONTAINER_ENGINE=docker   import into docker instead of podman
#   DEBIAN_MIRROR=URL         the mirror debootstrap installs from (default http://deb.debian.org/debian)
#   REBUILD=1                 make it again even if TAG exists (for Debian's security updates)
# An image that already exists under TAG is kept as it is: that is the cache, and a rerun takes a second.
set -euo pipefail

tag=${1:-localhost/securecom-base:bookworm}
engine=${CONTAINER_ENGINE:-podman}
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}

if [ "${REBUILD:-0}" != 1 ] && "$engine" image inspect "$tag" >/dev/null 2>&1; then
  echo "$tag exists; REBUILD=1 makes it again"
  exit 0
fi
if [ "$(id -u)" != 0 ]; then
  echo "debootstrap needs root" >&2
  exit 2
fi
command -v debootstrap >/dev/null || { echo "debootstrap is not installed (apt-get install debootstrap)" >&2; exit 2; }

rootfs=$(mktemp -d /var/tmp/securecom-base.XXXXXX)
cleanup() {
  # debootstrap mounts /proc and /sys in the tree while it configures packages; never delete through a mount.
  findmnt -rn -o TARGET | grep -F "$rootfs/" | sort -r | xargs -r umount -l || true
  rm -rf --one-file-system "$rootfs"
}
trap cleanup EXIT

debootstrap --variant=minbase --include=openjdk-17-jre-headless bookworm "$rootfs" "$mirror"
rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/*

tar --numeric-owner -C "$rootfs" -c . |
  "$engine" import \
    --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
    --change 'ENV LANG=C.UTF-8' \
    --change 'CMD ["/bin/bash"]' \
    - "$tag"
echo "$tag imported"
