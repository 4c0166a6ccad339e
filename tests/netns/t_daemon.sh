#!/bin/bash
# ipsecgwd as an operator meets it: it refuses invalid configs listing every
# problem, refuses a PSK file others can read, refuses IKEv1 tunnels for
# now; its control socket is 0600; `reload` keeps an unchanged tunnel's SAs,
# refuses an invalid file and keeps running; SIGHUP reloads; SIGTERM deletes
# the SAs at the peer (strongSwan) and exits.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib_ipsecgw.sh"

[ -x "$BUILD/ipsecgwd" ] || { fail "no $BUILD/ipsecgwd"; finish; }
D=$T_DIR/d
mkdir -p "$D"

# Invalid configs: exit 1, every problem on stderr, no socket.
cat >"$D/bad.yaml" <<'Y'
gateway: {name: gw, local-subnets: [192.168.25.0/24]}
tunnels:
  - {name: a, peer: 198.51.100.57, psk: short, remote-subnets: [192.168.0.0/24]}
  - {name: a, peer: 198.51.100.58, psk: "8 to 40 characters", remote-subnets: [10.9.0.0/16],
     esp: {lifetime: 99999}}
Y
chmod 600 "$D/bad.yaml"
"$BUILD/ipsecgwd" --config "$D/bad.yaml" --socket "$D/bad.sock" --foreground >"$D/bad.out" 2>&1
rc=$?
check "invalid config: exit 1" [ "$rc" -eq 1 ]
check "invalid config: the PSK problem is listed" grep -qF "tunnels[0].psk: must be 8-40 characters, got 5" "$D/bad.out"
check "invalid config: the duplicate name is listed" grep -qF 'tunnels[1].name: "a" is used by tunnels[0]' "$D/bad.out"
check "invalid config: the lifetime problem is listed" grep -q "tunnels\[1\].esp.lifetime" "$D/bad.out"
check "invalid config: no control socket" [ ! -e "$D/bad.sock" ]

sed 's/psk: short/psk: "8 to 40 characters"/; s/name: a, peer: 198.51.100.58/name: b, peer: 198.51.100.58/; s/lifetime: 99999/lifetime: 600/' \
	"$D/bad.yaml" >"$D/readable.yaml"
chmod 644 "$D/readable.yaml"
"$BUILD/ipsecgwd" --config "$D/readable.yaml" --socket "$D/r.sock" --foreground >"$D/r.out" 2>&1
check "PSK config readable by others: refused" sh -c "[ $? -eq 1 ] && grep -q 'readable by group/other' '$D/r.out'"

cp "$D/readable.yaml" "$D/v1.yaml"
chmod 600 "$D/v1.yaml"
sed -i 's/remote-subnets: \[192.168.0.0\/24\]}/remote-subnets: [192.168.0.0\/24], ike: {version: 1}}/' "$D/v1.yaml"
"$BUILD/ipsecgwd" --config "$D/v1.yaml" --socket "$D/v1.sock" --foreground >"$D/v1.out" 2>&1
check "IKEv1 tunnel: refused with a clear message" sh -c "[ $? -eq 1 ] && grep -q 'tunnels\[0\].ike.version: IKEv1 is not supported yet' '$D/v1.out'"

# A running pair: strongSwan on-prem behind the NAT initiates to ipsecgw.
topo_guide || { fail topology; finish; }
igdir=$T_DIR/ig swdir=$T_DIR/sw
ig_config cloud "$igdir"
sw_config onprem "$swdir"
sw_start $OPGW "$swdir" && sw_load "$swdir" "$swdir/swanctl.conf" && ig_start cloud "$igdir" ||
	{ fail "start"; dump_logs "$igdir" "$swdir"; finish; }
check "control socket is mode 0600" sh -c "[ \"\$(stat -c %a '$igdir/ctl.sock')\" = 600 ]"
swanctl_ "$swdir" --initiate --child net --timeout 20 >/dev/null 2>&1
check "tunnel up" ig_wait_up "$igdir" 20
spi_before=$(ig "$igdir" show ipsec-sa --json | python3 -c 'import json,sys; print(json.load(sys.stdin)[0]["spi_in"])')

# reload with the same file: the SAs stay.
check "reload of an unchanged config succeeds" sh -c "'$BUILD/ipsecgw' --socket '$igdir/ctl.sock' reload | grep -q 'reloaded'"
spi_after=$(ig "$igdir" show ipsec-sa --json | python3 -c 'import json,sys; a=json.load(sys.stdin); print(a[0]["spi_in"] if a else "none")')
check "unchanged tunnel keeps its SPIs across reload ($spi_before)" [ "$spi_before" = "$spi_after" ]

# reload with an invalid file: refused, everything stays.
cp "$igdir/ipsecgw.yaml" "$igdir/good.yaml"
sed -i 's/psk: ".*"/psk: "short"/' "$igdir/ipsecgw.yaml"
ig "$igdir" reload >"$igdir/reload.out" 2>&1
rc=$?
check "invalid reload: exit 1 with the problem" sh -c "[ $rc -eq 1 ] && grep -q 'tunnels\[0\].psk: must be 8-40 characters' '$igdir/reload.out'"
spi_after=$(ig "$igdir" show ipsec-sa --json | python3 -c 'import json,sys; a=json.load(sys.stdin); print(a[0]["spi_in"] if a else "none")')
check "invalid reload: SAs untouched" [ "$spi_before" = "$spi_after" ]
cp "$igdir/good.yaml" "$igdir/ipsecgw.yaml"

# SIGHUP reloads too (unchanged: SAs stay).
kill -HUP "$(cat "$igdir/ipsecgwd.pid")"
check "SIGHUP reloads" wait_for 5 grep -q "SIGHUP: reloading" "$igdir/ipsecgwd.log"
check "SIGHUP: daemon alive, SAs kept" sh -c "kill -0 $(cat "$igdir/ipsecgwd.pid") && '$BUILD/ipsecgw' --socket '$igdir/ctl.sock' show ipsec-sa --json | grep -q '$spi_before'"

# reload with the tunnel changed (now we initiate, with another ESP proposal):
# the old SAs go (Delete to the peer), new ones come up with new SPIs.
nat_forward
sed -i 's/start: respond/start: initiate/; s/esp: { proposals: \[aes256-sha256-modp1024\] }/esp: { proposals: [aes128-sha256-modp2048] }/' "$igdir/ipsecgw.yaml"
sed -i 's/esp_proposals = aes256-sha256-modp1024/esp_proposals = aes128-sha256-modp2048,aes256-sha256-modp1024/' "$swdir/swanctl.conf"
sw_load "$swdir" "$swdir/swanctl.conf"
check "reload of a changed tunnel succeeds" sh -c "'$BUILD/ipsecgw' --socket '$igdir/ctl.sock' reload | grep -q reloaded"
changed_up() {
	ig "$igdir" show ipsec-sa --json 2>/dev/null | python3 -c "
import json,sys; a=json.load(sys.stdin)
sys.exit(0 if len(a) == 1 and a[0]['spi_in'] != '$spi_before' and a[0]['proposal'].startswith('AES_CBC_128') else 1)"
}
check "changed tunnel is re-established with new SPIs and the new proposal" wait_for 20 changed_up
check "the old CHILD SA is gone at strongSwan" wait_for 10 sh -c "[ \$(swanctl --list-sas --uri unix://$swdir/charon.vici | grep -c INSTALLED) -eq 1 ]"

# reload without the tunnel: its SAs are deleted at the peer; with it
# again (start: initiate): it comes back by itself.
cp "$igdir/ipsecgw.yaml" "$igdir/with.yaml"
python3 - "$igdir/ipsecgw.yaml" <<'PY'
import sys
p = sys.argv[1]
lines = open(p).read().split("\n")
out = []
for l in lines:
    if l.startswith("tunnels:"):
        out.append("tunnels: []")
        break
    out.append(l)
open(p, "w").write("\n".join(out) + "\n")
PY
check "reload with the tunnel removed succeeds" sh -c "'$BUILD/ipsecgw' --socket '$igdir/ctl.sock' reload | grep -q 'reloaded .*: 0 tunnels'"
check "removed tunnel: strongSwan got the Delete" wait_for 10 sh -c "! swanctl --list-sas --uri unix://$swdir/charon.vici | grep -q ESTABLISHED"
cp "$igdir/with.yaml" "$igdir/ipsecgw.yaml"
check "reload with the tunnel added back succeeds" sh -c "'$BUILD/ipsecgw' --socket '$igdir/ctl.sock' reload | grep -q 'reloaded .*: 1 tunnel'"
check "added tunnel comes up by itself" ig_wait_up "$igdir" 20

# SIGTERM: Delete to the peer, then exit.
kill -TERM "$(cat "$igdir/ipsecgwd.pid")"
check "SIGTERM: ipsecgwd exits" wait_for 5 sh -c "! kill -0 $(cat "$igdir/ipsecgwd.pid") 2>/dev/null"
check "SIGTERM: strongSwan got the Delete (no SA left)" wait_for 5 sh -c "! swanctl --list-sas --uri unix://$swdir/charon.vici | grep -q ESTABLISHED"
check "SIGTERM: the socket is gone" [ ! -e "$igdir/ctl.sock" ]
finish
