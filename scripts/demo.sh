#!/bin/bash
# make demo: the guide's topology in network namespaces, ipsecgw as the
# cloud gateway (192.168.25.0/24) and strongSwan as the on-premises gateway
# behind a NAT (192.168.0.0/24 and 10.0.2.0/24), with the guide's
# parameters: IKEv2, PSK, aes256-sha256-modp1024 for IKE and ESP, DPD
# 15 s / 60 s restart. strongSwan initiates (the guide's connection-type
# initiate); pings cross both ways; ipsecgw shows its SAs.
#
#   KEEP=1 make demo   leaves everything running and says how to tear it down.
set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
export P=${P:-igdemo}
cd "$ROOT/tests/netns" || exit 1
# shellcheck source=../tests/netns/lib.sh
. ./lib.sh
# shellcheck source=../tests/netns/lib_ipsecgw.sh
. ./lib_ipsecgw.sh "$ROOT/build"

say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }

for ns in $(ip netns list | awk '{print $1}' | grep "^$P-"); do ip netns del "$ns"; done
say "topology (guide section 2.1): cloud host 192.168.25.3 - ipsecgw 203.0.113.7 - internet - NAT 198.51.100.57 - strongSwan 192.168.0.123 - on-prem host 10.0.2.5"
topo_guide || exit 1
igdir=$T_DIR/ipsecgw swdir=$T_DIR/strongswan
ig_config cloud "$igdir"
sw_config onprem "$swdir"
say "ipsecgw's config ($igdir/ipsecgw.yaml)"
sed 's/psk: .*/psk: "********"/' "$igdir/ipsecgw.yaml"
"$ROOT/build/ipsecgw" check "$igdir/ipsecgw.yaml" || exit 1

sw_start $OPGW "$swdir" && sw_load "$swdir" "$swdir/swanctl.conf" || exit 1
ig_start cloud "$igdir" || exit 1
say "strongSwan (on-prem, behind NAT) initiates"
swanctl_ "$swdir" --initiate --child net --timeout 20 | tail -3
ig_wait_up "$igdir" 20 || { dump_logs "$igdir" "$swdir"; exit 1; }

rc=0
say "ping on-prem host 10.0.2.5 -> cloud host 192.168.25.3"
nsx $OHOST ping -c 3 -i 0.3 -W 2 192.168.25.3 || rc=1
say "ping cloud host 192.168.25.3 -> on-prem host 10.0.2.5"
nsx $CHOST ping -c 3 -i 0.3 -W 2 10.0.2.5 || rc=1
say "ipsecgw show ike-sa"
ig "$igdir" show ike-sa
say "ipsecgw show ipsec-sa"
ig "$igdir" show ipsec-sa
say "swanctl --list-sas (the other side)"
swanctl_ "$swdir" --list-sas

if [ "${KEEP:-0}" = 1 ]; then
	trap - EXIT
	say "left running"
	cat <<EOT
  namespaces: $(ip netns list | awk '{print $1}' | grep "^$P-" | tr '\n' ' ')
  ipsecgw:    $ROOT/build/ipsecgw --socket $igdir/ctl.sock show ike-sa
  try:        ip netns exec $CHOST ping 10.0.2.5
  tear down:  kill ${T_PIDS[*]}; for n in \$(ip netns list | awk '{print \$1}' | grep '^$P-'); do ip netns del \$n; done; rm -rf $T_DIR
EOT
else
	say "cleaning up (KEEP=1 leaves it running)"
fi
[ $rc -eq 0 ] && say "demo OK: tunnel up, traffic both ways" || say "demo FAILED: see above"
exit $rc
