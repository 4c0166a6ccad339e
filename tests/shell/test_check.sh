#!/bin/bash
# `ipsecgw check [CONFIG]` as an operator runs it: the guide's tunnel is
# accepted (exit 0); bad configs are refused with exit 1 and every problem
# on stderr, each with its key path and reason; usage errors exit 2; the
# command never crashes. Prints TAP.
set -u
IPSECGW=${1:?usage: test_check.sh path/to/ipsecgw DATA_DIR}
DATA=${2:?}
T=$(mktemp -d /tmp/ipsecgw-check.XXXXXX)
trap 'rm -rf "$T"' EXIT
n=0
fails=0
ok() { n=$((n + 1)); echo "ok $n - $*"; }
nok() { n=$((n + 1)); fails=$((fails + 1)); echo "not ok $n - $*"; }

# expect NAME EXIT-CODE FILE [exact stderr lines...]
expect() {
	local name=$1 want=$2 file=$3 rc
	shift 3
	"$IPSECGW" check "$file" >"$T/out" 2>"$T/err"
	rc=$?
	if [ "$rc" -ne "$want" ]; then
		nok "$name: exit $rc, want $want"
		sed 's/^/#   /' "$T/err"
		return
	fi
	for line in "$@"; do
		if ! grep -qxF -- "$line" "$T/err"; then
			nok "$name: missing line: $line"
			sed 's/^/#   /' "$T/err"
			return
		fi
	done
	ok "$name"
}

# mk NAME: the YAML on stdin becomes $T/NAME.yaml, mode 0600.
mk() {
	cat >"$T/$1.yaml"
	chmod 600 "$T/$1.yaml"
}

install -m 600 "$DATA/config/guide.yaml" "$T/guide.yaml"
expect "the guide's route-based tunnel is accepted" 0 "$T/guide.yaml"
grep -q "OK, 1 tunnel" "$T/out" && ok "summary names the tunnel count" || nok "summary: $(cat "$T/out")"

mk policy <<'Y'
gateway: {name: cloud-gw, local-address: 203.0.113.7, local-subnets: [192.168.25.0/24]}
tunnels:
  - name: onprem
    peer: 198.51.100.57
    psk: "8 to 40 characters"
    remote-subnets: [192.168.0.0/24, 10.0.2.0/24]
    ike: {proposals: [aes256-sha256-modp1024], lifetime: 86400}
    esp: {proposals: [aes256-sha256-modp1024], lifetime: 3600}
    dpd: {interval: 15, timeout: 60, action: restart}
Y
expect "the guide's policy tunnel with two remote subnets is accepted" 0 "$T/policy.yaml"

mk many <<'Y'
gateway: {name: "cloud gw", local-subnets: [192.168.25.0/24]}
tunnels:
  - name: onprem
    peer: 198.51.100.57
    psk: short
    remote-subnets: [192.168.25.0/24]
    ike: {proposals: [aes257-sha256-modp1024]}
    esp: {lifetime: 90000}
  - name: onprem
    peer: 198.51.100.57
    psk: "8 to 40 characters"
    type: route
    local-tunnel-ip: 169.254.200.4/30
Y
expect "every problem at once, with key paths" 1 "$T/many.yaml" \
	"tunnels[0].psk: must be 8-40 characters, got 5" \
	"tunnels[1].name: \"onprem\" is used by tunnels[0]" \
	"tunnels[1].local-tunnel-ip: 169.254.200.4/30 is the network address of the /30"
c=$(grep -c "" "$T/err")
if [ "$c" -ge 6 ]; then ok "at least 6 problems listed ($c lines)"; else nok "only $c lines"; fi

mk junk <<'Y'
gateway: [this is: not a mapping
	tabs:
Y
expect "malformed YAML is an error, not a crash" 1 "$T/junk.yaml"

install -m 644 "$DATA/config/guide.yaml" "$T/readable.yaml"
expect "a PSK file readable by others is refused" 1 "$T/readable.yaml"
grep -q "readable by group/other" "$T/err" && ok "and says why" || nok "no reason: $(cat "$T/err")"

expect "a missing file" 1 "$T/nonexistent.yaml"
head -c 3000 /dev/urandom >"$T/random.yaml"
chmod 600 "$T/random.yaml"
expect "random bytes" 1 "$T/random.yaml"

"$IPSECGW" check a b >/dev/null 2>&1
[ $? -eq 2 ] && ok "two files: usage error (2)" || nok "two files: not 2"
"$IPSECGW" frobnicate >/dev/null 2>&1
[ $? -eq 2 ] && ok "unknown command: usage error (2)" || nok "unknown command: not 2"
"$IPSECGW" --version | grep -q "^ipsecgw " && ok "--version" || nok "--version"
"$IPSECGW" --help | grep -q "check \[CONFIG\]" && ok "--help lists check" || nok "--help"

echo "1..$n"
[ "$fails" -eq 0 ]
