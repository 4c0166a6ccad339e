#!/bin/sh
# Installs every Debian 12 package that building, testing, the demo and the
# benchmarks need. Idempotent: installs only what is missing. Run as root.
set -eu

PKGS="
build-essential meson ninja-build pkg-config clang clang-format libclang-rt-14-dev
libssl-dev libevent-dev libyaml-dev libjansson-dev libmnl-dev libcmocka-dev
python3 iproute2 iptables iputils-ping tcpdump tshark iperf3 procps psmisc kmod
strongswan-charon strongswan-swanctl strongswan-starter libcharon-extra-plugins
libstrongswan-extra-plugins libstrongswan-standard-plugins
"

missing=""
for p in $PKGS; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
		missing="$missing $p"
	fi
done

if [ -z "$missing" ]; then
	echo "deps: all packages present"
	exit 0
fi

if [ "$(id -u)" != 0 ]; then
	echo "deps: missing packages:$missing" >&2
	echo "deps: run as root (or: sudo apt-get install$missing)" >&2
	exit 1
fi

echo "deps: installing:$missing"
export DEBIAN_FRONTEND=noninteractive
# tshark asks whether non-root users may capture; answer for it.
echo "wireshark-common wireshark-common/install-setuid boolean false" | debconf-set-selections
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing
# The strongswan-starter package enables a system charon; tests run their own
# charon per namespace, so keep the system one from grabbing ports 500/4500.
if command -v systemctl >/dev/null 2>&1 && [ -d /run/systemd/system ]; then
	systemctl disable --now strongswan-starter.service ipsec.service 2>/dev/null || true
fi
