#!/bin/bash
# `ipsecgw import` and `ipsecgw check --peer` as an operator runs them, no
# daemon, no root: the guide's VyOS commands and ipsec.conf import to YAML
# that `check` accepts; what `peer-config` writes for each tool, checked
# against the config it came from, finds nothing blocking (exit 0), and
# imports back to a config that `check --peer` pairs with it; a broken
# peer file exits 1 with file:line; usage errors exit 2. Prints TAP.
set -u
IPSECGW=${1:?usage: test_import.sh path/to/ipsecgw DATA_DIR}
DATA=${2:?}
T=$(mktemp -d /tmp/ipsecgw-import.XXXXXX)
trap 'rm -rf "$T"' EXIT
n=0
fails=0
ok() { n=$((n + 1)); echo "ok $n - $*"; }
nok() { n=$((n + 1)); fails=$((fails + 1)); echo "not ok $n - $*"; }
run() { # name want-exit command...
	local name=$1 want=$2 rc
	shift 2
	"$@" >"$T/out" 2>"$T/err"
	rc=$?
	if [ "$rc" -eq "$want" ]; then
		ok "$name"
	else
		nok "$name: exit $rc, want $want"
		sed 's/^/#   /' "$T/err" "$T/out"
	fi
}

"$IPSECGW" --help | grep -q "^  import --from vyos|swanctl|ipsec.conf" && ok "--help lists import" || nok "--help lists import"
"$IPSECGW" --help | grep -q "^  check --peer FILE" && ok "--help lists check --peer" || nok "--help lists check --peer"

for f in guide-policy.vyos guide-route.vyos; do
	run "import --from vyos $f" 0 "$IPSECGW" import --from vyos "$DATA/peer/$f"
	install -m 600 "$T/out" "$T/$f.yaml"
	run "the import of $f passes check" 0 "$IPSECGW" check "$T/$f.yaml"
done
run "import --from ipsec.conf (guide, --secrets)" 0 "$IPSECGW" import --from ipsec.conf \
	--secrets "$DATA/peer/guide.ipsec.secrets" "$DATA/peer/guide.ipsec.conf"
grep -q '^  psk: "password"$' "$T/out" && ok "the guide's PSK came from ipsec.secrets" || nok "PSK from ipsec.secrets"
grep -qF "guide.ipsec.conf:26: not mapped: closeaction=none" "$T/err" && ok "not mapped lines on stderr" || nok "not mapped lines on stderr"
install -m 600 "$T/out" "$T/guide.yaml"
run "the import of the guide's ipsec.conf passes check" 0 "$IPSECGW" check "$T/guide.yaml"
run "check --peer: the guide's ipsec.conf against its import" 0 "$IPSECGW" check \
	--peer "$DATA/peer/guide.ipsec.conf" --secrets "$DATA/peer/guide.ipsec.secrets" "$T/guide.yaml"
run "check --peer: the guide's route-based VyOS (IKEv2 VTI, 1.3) blocks" 1 "$IPSECGW" check \
	--peer "$DATA/peer/guide-route.vyos" "$T/guide-route.vyos.yaml"
grep -q "^tunnel 203-0-113-7: error: IKEv2 route-based (VTI) does not come up with VyOS 1.4 or older" "$T/out" &&
	ok "the finding names guide section 6" || nok "guide section 6 finding: $(cat "$T/out")"

# peer-config -> check --peer -> import -> check --peer, for each format.
install -m 600 "$DATA/peer/policy.yaml" "$T/policy.yaml"
for tun in onprem legacy; do
	for fmt in swanctl strongswan vyos; do
		"$IPSECGW" peer-config "$tun" --for "$fmt" --config "$T/policy.yaml" >"$T/gen" 2>/dev/null
		from=$fmt
		[ "$fmt" = strongswan ] && from=ipsec.conf
		if [ "$fmt" = strongswan ]; then
			mkdir -p "$T/$tun"
			sed -n '1,/^# ipsec.secrets/p' "$T/gen" | sed '$d' >"$T/$tun/ipsec.conf"
			sed -n '/^# ipsec.secrets/,$p' "$T/gen" | sed 1d >"$T/$tun/ipsec.secrets"
			cp "$T/$tun/ipsec.conf" "$T/gen"
			secrets=(--secrets "$T/$tun/ipsec.secrets")
		else
			secrets=()
		fi
		run "$tun: peer-config --for $fmt, check --peer finds nothing blocking" 0 \
			"$IPSECGW" check --peer "$T/gen" --peer-format "$from" "${secrets[@]}" "$T/policy.yaml"
		if grep -q ": error:" "$T/out"; then nok "$tun/$fmt: no error line"; fi
		run "$tun: import --from $from of it" 0 "$IPSECGW" import --from "$from" "${secrets[@]}" "$T/gen"
		install -m 600 "$T/out" "$T/back.yaml"
		run "$tun: the import checks clean against the same peer file" 0 \
			"$IPSECGW" check --peer "$T/gen" --peer-format "$from" "${secrets[@]}" "$T/back.yaml"
	done
done

printf 'set vpn ipsec esp-group E lifetime 3600\nset vpn ipsec site-to-site peer p ike-group missing\n' >"$T/bad.vyos"
run "a broken VyOS file exits 1" 1 "$IPSECGW" import --from vyos "$T/bad.vyos"
grep -qxF "$T/bad.vyos:2: peer p: ike-group 'missing' is not defined" "$T/err" && ok "file:line on stderr" || nok "file:line: $(cat "$T/err")"
run "check --peer with a broken peer file exits 1" 1 "$IPSECGW" check --peer "$T/bad.vyos" "$T/policy.yaml"
run "import without --from is a usage error" 2 "$IPSECGW" import "$T/bad.vyos"
run "check --peer-format without --peer is a usage error" 2 "$IPSECGW" check --peer-format vyos "$T/policy.yaml"
run "import --help" 0 "$IPSECGW" import --help

echo "1..$n"
[ "$fails" -eq 0 ]
