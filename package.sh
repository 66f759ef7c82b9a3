#!/usr/bin/env bash
# package.sh - builds dist/stratum_VERSION_amd64.deb from dist/ (run ./build.sh first) and packaging/:
#   /usr/sbin/ntpd, /usr/bin/{ntpq,ntpdc,ntpdate}, /etc/ntp.conf (a conffile), the systemd unit
#   /lib/systemd/system/ntp.service (alias ntpd.service), the documentation under
#   /usr/share/doc/stratum/ (docs/*.md), and maintainer scripts that create the `ntp` system user and
#   /var/lib/ntp and /var/log/ntpstats. Built with `dpkg-deb --root-owner-group`, so every file is
#   root's whatever user runs this. Never installs anything.
#   ./package.sh [OUTPUT_DIRECTORY]      (default dist/)
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
DIST="$REPO/dist"
OUT="${1:-$DIST}"
command -v dpkg-deb >/dev/null || { echo "package.sh: dpkg-deb not found (Debian package dpkg)" >&2; exit 1; }
for tool in ntpd ntpq ntpdc ntpdate; do
  [ -x "$DIST/$tool" ] || { echo "package.sh: $DIST/$tool missing; run ./build.sh first" >&2; exit 1; }
done
VERSION="$("$DIST/ntpd" --version | sed -n 's/^ntpd Stratum \([0-9][0-9.]*\).*/\1/p')"
[ -n "$VERSION" ] || { echo "package.sh: cannot read the version from dist/ntpd --version" >&2; exit 1; }

STAGE="$(mktemp -d -t stratum-deb.XXXXXX)"
trap 'rm -rf "$STAGE"' EXIT
chmod 0755 "$STAGE"
install -d "$STAGE/DEBIAN" "$STAGE/usr/sbin" "$STAGE/usr/bin" "$STAGE/etc" "$STAGE/lib/systemd/system" \
  "$STAGE/usr/share/doc/stratum"
install -m 0755 "$DIST/ntpd" "$STAGE/usr/sbin/ntpd"
for tool in ntpq ntpdc ntpdate; do install -m 0755 "$DIST/$tool" "$STAGE/usr/bin/$tool"; done
install -m 0644 "$REPO/packaging/ntp.conf" "$STAGE/etc/ntp.conf"
install -m 0644 "$REPO/packaging/ntp.service" "$STAGE/lib/systemd/system/ntp.service"
ln -s ntp.service "$STAGE/lib/systemd/system/ntpd.service"
for doc in "$REPO"/docs/*.md "$REPO/README.md"; do install -m 0644 "$doc" "$STAGE/usr/share/doc/stratum/"; done
install -m 0755 "$REPO/packaging/postinst" "$REPO/packaging/postrm" "$STAGE/DEBIAN/"
install -m 0644 "$REPO/packaging/conffiles" "$STAGE/DEBIAN/conffiles"
SIZE="$(du -sk --exclude=DEBIAN "$STAGE" | cut -f1)"
sed -e "s/@VERSION@/$VERSION/" -e "s/@SIZE@/$SIZE/" "$REPO/packaging/control.in" > "$STAGE/DEBIAN/control"
mkdir -p "$OUT"
DEB="$OUT/stratum_${VERSION}_amd64.deb"
dpkg-deb --root-owner-group -Zxz -b "$STAGE" "$DEB" >/dev/null
echo "package.sh: $DEB"
