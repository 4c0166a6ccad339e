#!/bin/sh
# Regenerates strongswan_sa_init.bin: the UDP payload of a real strongSwan
# IKE_SA_INIT request (cleartext, so no keys are involved).
#
#   ns igc-a: charon, 192.0.2.1  --veth--  ns igc-b: 192.0.2.2, tcpdump on udp/500
#
# Nobody answers in igc-b; charon retransmits and we keep the first request.
# Everything created here is removed on exit, also on failure. Needs root.
set -eu
OUT=${1:-$(dirname "$0")/strongswan_sa_init.bin}
DIR=$(mktemp -d /tmp/igc.XXXXXX)
A=igc-a.$$
B=igc-b.$$
CHARON_PID=
TCPDUMP_PID=

cleanup() {
	[ -n "$CHARON_PID" ] && kill "$CHARON_PID" 2>/dev/null || true
	[ -n "$TCPDUMP_PID" ] && kill "$TCPDUMP_PID" 2>/dev/null || true
	sleep 0.5
	ip netns del "$A" 2>/dev/null || true
	ip netns del "$B" 2>/dev/null || true
	rm -rf "$DIR"
}
trap cleanup EXIT INT TERM

ip netns add "$A"
ip netns add "$B"
ip link add igc0 netns "$A" type veth peer name igc1 netns "$B"
ip -n "$A" addr add 192.0.2.1/24 dev igc0
ip -n "$B" addr add 192.0.2.2/24 dev igc1
ip -n "$A" link set igc0 up
ip -n "$B" link set igc1 up
ip -n "$A" link set lo up
ip -n "$B" link set lo up

cat >"$DIR/strongswan.conf" <<CONF
charon {
  load = random nonce openssl aes sha1 sha2 hmac gcm pem pkcs1 x509 pubkey gmp curve25519 kdf kernel-netlink socket-default vici
  install_routes = no
  filelog {
    log {
      path = $DIR/charon.log
      default = 1
    }
  }
  plugins {
    vici {
      socket = unix://$DIR/charon.vici
    }
  }
}
CONF

cat >"$DIR/swanctl.conf" <<CONF
connections {
  t {
    local_addrs = 192.0.2.1
    remote_addrs = 192.0.2.2
    version = 2
    proposals = aes256-sha256-modp1024,aes256gcm16-prfsha384-ecp384-curve25519
    local {
      auth = psk
      id = 192.0.2.1
    }
    remote {
      auth = psk
      id = 192.0.2.2
    }
    children {
      c {
        local_ts = 10.1.0.0/24
        remote_ts = 10.2.0.0/24
        esp_proposals = aes256-sha256-modp1024
        start_action = start
      }
    }
  }
}
secrets {
  ike-t {
    id = 192.0.2.2
    secret = "capture-only-not-a-secret"
  }
}
CONF

ip netns exec "$B" tcpdump -i igc1 -n -U -w "$DIR/cap.pcap" udp port 500 2>"$DIR/tcpdump.err" &
TCPDUMP_PID=$!
sleep 1
ip netns exec "$A" unshare -m sh -c "mount -t tmpfs none /run; mkdir -p /run/strongswan; \
	STRONGSWAN_CONF=$DIR/strongswan.conf exec /usr/lib/ipsec/charon" >"$DIR/charon.out" 2>&1 &
CHARON_PID=$!
for i in 1 2 3 4 5 6 7 8 9 10; do
	[ -S "$DIR/charon.vici" ] && break
	sleep 0.5
done
ip netns exec "$A" swanctl --load-all --uri "unix://$DIR/charon.vici" --file "$DIR/swanctl.conf" >/dev/null
sleep 3
kill "$TCPDUMP_PID"
wait "$TCPDUMP_PID" 2>/dev/null || true
TCPDUMP_PID=
tshark -r "$DIR/cap.pcap" -c 1 -T fields -e udp.payload | tr -d ':\n' | xxd -r -p >"$OUT"
test -s "$OUT"
echo "wrote $OUT ($(wc -c <"$OUT") bytes)"
