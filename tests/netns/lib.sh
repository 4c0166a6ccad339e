# shellcheck shell=bash
# Shared helpers for the network scenarios: namespaces in the guide's
# topology, strongSwan peers, and cleanup of everything a test made.
#
# The guide's topology (section 2.1), with documentation addresses:
#
#   cloud host          cloud gateway            "internet"           NAT router            on-prem gateway       on-prem host
#   192.168.25.3 --- 192.168.25.1 | 203.0.113.7 --- 203.0.113.1 |      198.51.100.57 |       192.168.0.123 |       10.0.2.5
#   ($P-chost)         ($P-cgw)                   198.51.100.1 ($P-inet) 192.168.0.1 ($P-nat)  10.0.2.1 ($P-opgw)   ($P-ohost)
#
# The on-prem gateway sits behind a NAT (MASQUERADE to 198.51.100.57), as in
# the guide. IPv6 outer addresses: 2001:db8:c::7 (cloud gw), 2001:db8:1::1/2
# (inet), 2001:db8:0:57::57 (NAT public, no NAT for v6) when TOPO_V6=1.
#
# Every namespace is named with the prefix $P (unique per test run), every
# process started is recorded, and cleanup() removes them all on exit,
# also when the test fails.

set -u

P=${P:-ig$$}
T_DIR=$(mktemp -d "/tmp/ipsecgw-test.XXXXXX")
T_PIDS=()
T_NS=()
T_FAILS=0
T_STEP=0

log() { echo "# $*"; }

# Removes the namespaces and processes made so far (to build a fresh
# topology within one test); cleanup() does the same at exit.
topo_teardown() {
	local pid ns
	for pid in "${T_PIDS[@]}"; do
		kill "$pid" 2>/dev/null
	done
	for pid in "${T_PIDS[@]}"; do
		for _ in 1 2 3 4 5 6 7 8 9 10; do
			kill -0 "$pid" 2>/dev/null || break
			sleep 0.1
		done
		kill -9 "$pid" 2>/dev/null
	done
	for ns in "${T_NS[@]}"; do
		ip netns del "$ns" 2>/dev/null
	done
	T_PIDS=()
	T_NS=()
}

cleanup() {
	local pid ns
	for pid in "${T_PIDS[@]}"; do
		kill "$pid" 2>/dev/null
	done
	sleep 0.2
	for pid in "${T_PIDS[@]}"; do
		kill -9 "$pid" 2>/dev/null
	done
	for ns in "${T_NS[@]}"; do
		ip netns del "$ns" 2>/dev/null
	done
	if [ "${KEEP_TMP:-0}" = 1 ]; then
		echo "# kept $T_DIR"
	else
		rm -rf "$T_DIR"
	fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# TAP-style steps: ok/not ok lines; the test fails if any step failed.
pass() { T_STEP=$((T_STEP + 1)); echo "ok $T_STEP - $*"; }
fail() { T_STEP=$((T_STEP + 1)); T_FAILS=$((T_FAILS + 1)); echo "not ok $T_STEP - $*"; }
check() { # description command...
	local d=$1
	shift
	if "$@"; then pass "$d"; else fail "$d"; fi
}
finish() {
	echo "1..$T_STEP"
	[ "$T_FAILS" -eq 0 ]
	exit $?
}

ns_add() {
	ip netns add "$1" || return 1
	T_NS+=("$1")
	ip -n "$1" link set lo up
}

# veth between two namespaces: link NS1 IF1 NS2 IF2
link() {
	ip link add "$2" netns "$1" type veth peer name "$4" netns "$3" || return 1
	ip -n "$1" link set "$2" up
	ip -n "$3" link set "$4" up
}

addr() { ip -n "$1" addr add "$3" dev "$2"; }
nsx() { local ns=$1; shift; ip netns exec "$ns" "$@"; }

# Builds the guide's topology; sets CGW/OPGW/CHOST/OHOST/NAT/INET names.
topo_guide() {
	CHOST=$P-chost CGW=$P-cgw INET=$P-inet NAT=$P-nat OPGW=$P-opgw OHOST=$P-ohost
	for ns in $CHOST $CGW $INET $NAT $OPGW $OHOST; do ns_add "$ns" || return 1; done
	link $CHOST eth0 $CGW lan0
	link $CGW wan0 $INET c0
	link $INET n0 $NAT wan0
	link $NAT lan0 $OPGW wan0
	link $OPGW lan0 $OHOST eth0

	addr $CHOST eth0 192.168.25.3/24
	ip -n $CHOST route add default via 192.168.25.1
	addr $CGW lan0 192.168.25.1/24
	addr $CGW wan0 203.0.113.7/24
	ip -n $CGW route add default via 203.0.113.1
	addr $INET c0 203.0.113.1/24
	addr $INET n0 198.51.100.1/24
	addr $NAT wan0 198.51.100.57/24
	ip -n $NAT route add default via 198.51.100.1
	addr $NAT lan0 192.168.0.1/24
	addr $OPGW wan0 192.168.0.123/24
	ip -n $OPGW route add default via 192.168.0.1
	addr $OPGW lan0 10.0.2.1/24
	addr $OHOST eth0 10.0.2.5/24
	ip -n $OHOST route add default via 10.0.2.1
	# The NAT router keeps 10.0.2.0/24 reachable only through the gateway.
	ip -n $NAT route add 10.0.2.0/24 via 192.168.0.123

	for ns in $CGW $INET $NAT $OPGW; do
		nsx "$ns" sysctl -qw net.ipv4.ip_forward=1
		nsx "$ns" sysctl -qw net.ipv6.conf.all.forwarding=1
	done
	nsx $NAT iptables -t nat -A POSTROUTING -o wan0 -s 192.168.0.0/24 -j MASQUERADE

	if [ "${TOPO_V6:-0}" = 1 ]; then
		for ns in $CGW $INET $NAT $OPGW; do
			nsx "$ns" sysctl -qw net.ipv6.conf.all.accept_dad=0
			nsx "$ns" sysctl -qw net.ipv6.conf.default.accept_dad=0
		done
		ip -n $CGW addr add 2001:db8:c::7/64 dev wan0 nodad
		ip -n $INET addr add 2001:db8:c::1/64 dev c0 nodad
		ip -n $INET addr add 2001:db8:0:57::1/64 dev n0 nodad
		ip -n $NAT addr add 2001:db8:0:57::57/64 dev wan0 nodad
		ip -n $CGW -6 route add default via 2001:db8:c::1
		ip -n $NAT -6 route add default via 2001:db8:0:57::1
		ip -n $NAT addr add 2001:db8:0:123::1/64 dev lan0 nodad
		ip -n $OPGW addr add 2001:db8:0:123::123/64 dev wan0 nodad
		ip -n $OPGW -6 route add default via 2001:db8:0:123::1
		ip -n $INET -6 route add 2001:db8:0:123::/64 via 2001:db8:0:57::57
	fi
}

# Topology without NAT: the on-prem gateway is directly on the internet side.
topo_nonat() {
	topo_guide || return 1
	nsx $NAT iptables -t nat -F POSTROUTING
	ip -n $INET route add 192.168.0.0/24 via 198.51.100.57
}

# strongSwan (charon with kernel-libipsec) in namespace NS, state in DIR.
# Recipe from LAB.md: one key per line in strongswan.conf, a private /run.
sw_start() { # NS DIR [install_routes yes|no]
	local ns=$1 dir=$2 routes=${3:-yes} i
	mkdir -p "$dir"
	# A stale socket from an earlier charon would pass the wait below.
	rm -f "$dir/charon.vici"
	cat >"$dir/strongswan.conf" <<EOT
charon {
  load = random nonce openssl aes sha1 sha2 hmac gcm pem pkcs1 x509 pubkey gmp curve25519 kdf kernel-libipsec kernel-netlink socket-default vici updown
  install_routes = $routes
  retransmit_tries = 3
  retransmit_timeout = 1.0
  filelog {
    log {
      path = $dir/charon.log
      default = 1
      ike = 2
      knl = 1
    }
  }
  plugins {
    vici {
      socket = unix://$dir/charon.vici
    }
    kernel-libipsec {
      allow_peer_ts = yes
    }
  }
}
EOT
	ip netns exec "$ns" unshare -m sh -c \
		"mount -t tmpfs none /run && mkdir -p /run/strongswan && STRONGSWAN_CONF=$dir/strongswan.conf exec /usr/lib/ipsec/charon" \
		>"$dir/charon.out" 2>&1 &
	T_PIDS+=($!)
	echo $! >"$dir/charon.pid"
	for i in $(seq 1 100); do
		if [ -S "$dir/charon.vici" ]; then
			# A missing plugin (libstrongswan-standard-plugins has openssl
			# and gcm) only shows later as "DH group not supported".
			if grep -q "failed to load" "$dir/charon.log" 2>/dev/null; then
				echo "# charon in $ns is missing plugins (scripts/deps.sh installs them):"
				grep "failed to load" "$dir/charon.log" | sed 's/^/#   /'
				return 1
			fi
			return 0
		fi
		sleep 0.1
	done
	echo "# charon in $ns did not start:"
	cat "$dir/charon.out"
	return 1
}

swanctl_() { # DIR args...
	local dir=$1
	shift
	swanctl "$@" --uri "unix://$dir/charon.vici"
}

sw_load() { # DIR SWANCTL_CONF
	swanctl --load-all --noprompt --uri "unix://$1/charon.vici" --file "$2" >"$1/load.log" 2>&1 ||
		{ cat "$1/load.log"; return 1; }
}

# Waits until CMD succeeds or SECONDS pass.
wait_for() { # seconds command...
	local t=$1 i
	shift
	for i in $(seq 1 $((t * 10))); do
		"$@" >/dev/null 2>&1 && return 0
		sleep 0.1
	done
	return 1
}

ping_ok() { # NS DST [count]
	ip netns exec "$1" ping -c "${3:-3}" -i 0.2 -W 2 "$2" >/dev/null 2>&1
}
