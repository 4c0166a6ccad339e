#!/bin/bash
# Least privilege (docs/security.md): after start-up every thread of
# ipsecgwd holds at most CAP_NET_ADMIN (the data path workers nothing), the
# bounding set is CAP_NET_ADMIN alone, no_new_privs is set and the process
# is not dumpable; with only CAP_NET_ADMIN it still makes a new tunnel
# interface on reload. The control socket is 0600 and SO_PEERCRED refuses a
# user other than root even when file permissions would let it connect; a
# PSK file readable by group is refused.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_ipsecgw.sh"

[ -x "$BUILD/ipsecgwd" ] || { fail "no $BUILD/ipsecgwd"; finish; }
D=$T_DIR/ig
NS=$P-gw
ns_add "$NS" && ns_add "$P-inet" && link "$NS" wan0 "$P-inet" c0 || { fail "namespaces"; finish; }
addr "$NS" wan0 203.0.113.7/24
mkdir -p "$D"
cat >"$D/ipsecgw.yaml" <<'Y'
gateway: {name: privs, local-address: 203.0.113.7, local-subnets: [192.168.25.0/24]}
log: {level: info}
tunnels:
  - {name: a, peer: 198.51.100.57, psk: "8 to 40 characters", remote-subnets: [10.0.2.0/24],
     start: respond}
Y
chmod 600 "$D/ipsecgw.yaml"
ip netns exec "$NS" "$BUILD/ipsecgwd" --config "$D/ipsecgw.yaml" --socket "$D/ctl.sock" \
	--foreground >"$D/ipsecgwd.log" 2>&1 &
T_PIDS+=($!)
PID=$!
wait_for 5 test -S "$D/ctl.sock" || { fail "start"; cat "$D/ipsecgwd.log"; finish; }
wait_for 5 grep -q "privileges dropped" "$D/ipsecgwd.log"

NET_ADMIN=0000000000001000 # 1 << CAP_NET_ADMIN (12)
cap() { awk -v k="$2:" '$1 == k {print $2}' "$1"; }
tasks_ok=1 workers=0
for st in /proc/"$PID"/task/*/status; do
	name=$(awk '$1 == "Name:" {print $2}' "$st")
	e=$(cap "$st" CapEff) p=$(cap "$st" CapPrm) b=$(cap "$st" CapBnd) i=$(cap "$st" CapInh)
	echo "# $name: CapEff $e CapPrm $p CapInh $i CapBnd $b NoNewPrivs $(cap "$st" NoNewPrivs)"
	[ "$b" = $NET_ADMIN ] && [ "$i" = 0000000000000000 ] && [ "$(cap "$st" NoNewPrivs)" = 1 ] || tasks_ok=0
	case $name in
	ipsecgw-dp*)
		workers=$((workers + 1))
		[ "$e" = 0000000000000000 ] && [ "$p" = 0000000000000000 ] || tasks_ok=0 ;;
	*)
		[ "$e" = $NET_ADMIN ] && [ "$p" = $NET_ADMIN ] || tasks_ok=0 ;;
	esac
done
check "control thread: CAP_NET_ADMIN only; $workers worker(s): none; bounding set NET_ADMIN; no_new_privs" \
	test "$tasks_ok" = 1 -a "$workers" -ge 1
ig "$D" status --json >"$D/status.json"
check "status --json: privileges as /proc says, not dumpable" python3 -c '
import json, sys
p = json.load(open(sys.argv[1]))["privileges"]
sys.exit(0 if p["cap_effective"] == sys.argv[2] and p["dumpable"] is False and p["no_new_privs"] else 1)' \
	"$D/status.json" $NET_ADMIN

check "control socket is mode 0600" [ "$(stat -c %a "$D/ctl.sock")" = 600 ]
# Another user: the file mode stops it; with CAP_DAC_OVERRIDE it gets
# through the file mode, and SO_PEERCRED still refuses it.
setpriv --reuid=65534 --regid=65534 --clear-groups "$BUILD/ipsecgw" --socket "$D/ctl.sock" \
	status >"$D/nobody.out" 2>&1
check "uid 65534: cannot connect (exit 1)" [ $? -eq 1 ]
setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=+dac_override \
	--ambient-caps=+dac_override "$BUILD/ipsecgw" --socket "$D/ctl.sock" status >"$D/dac.out" 2>&1
rc=$?
sed 's/^/#   /' "$D/dac.out"
check "uid 65534 with CAP_DAC_OVERRIDE: refused by SO_PEERCRED (exit $rc)" [ "$rc" -ne 0 ]
check "daemon logs the refused uid" wait_for 5 grep -q "refused pid [0-9]* uid 65534" "$D/ipsecgwd.log"
check "root still gets answers" sh -c "'$BUILD/ipsecgw' --socket '$D/ctl.sock' status >/dev/null"

# CAP_NET_ADMIN is enough for what a reload needs: a new tunnel interface, its routes.
cat >>"$D/ipsecgw.yaml" <<'Y'
  - {name: b, peer: 198.51.100.58, psk: "8 to 40 characters", type: route, interface: vti7,
     local-tunnel-ip: 169.254.7.1/30, remote-subnets: [10.7.0.0/24], start: respond}
Y
ig "$D" reload >"$D/reload.out" 2>&1
check "reload after the drop: a new route-based tunnel" grep -q "reloaded" "$D/reload.out"
check "reload after the drop: vti7 exists with its address and route" sh -c \
	"ip -n $NS addr show vti7 | grep -q 169.254.7.1 && ip -n $NS route | grep -q '10.7.0.0/24'"
check "daemon alive" kill -0 "$PID"

# Secrets on disk: a PSK file readable by group is refused.
printf '%s\n' "8 to 40 characters" >"$D/psk"
chmod 640 "$D/psk"
cat >"$D/pskfile.yaml" <<Y
gateway: {name: privs, local-subnets: [192.168.25.0/24]}
tunnels:
  - {name: a, peer: 198.51.100.57, psk-file: $D/psk, remote-subnets: [10.0.2.0/24]}
Y
"$BUILD/ipsecgwd" --config "$D/pskfile.yaml" --socket "$D/p.sock" --foreground >"$D/p.out" 2>&1
check "psk-file mode 0640: refused" sh -c "[ $? -eq 1 ] && grep -q 'readable by group/other' '$D/p.out'"
finish
