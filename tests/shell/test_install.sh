#!/bin/bash
# `make install` (meson install) into a scratch DESTDIR puts the binaries,
# the systemd unit with the configured paths, and the docs where PRODUCT.md
# says. Prints TAP.
set -u
BUILD=${1:?usage: test_install.sh BUILD_DIR}
D=$(mktemp -d /tmp/ipsecgw-install.XXXXXX)
trap 'rm -rf "$D"' EXIT
n=0
fails=0
t() { n=$((n + 1)); if "${@:2}"; then echo "ok $n - $1"; else fails=$((fails + 1)); echo "not ok $n - $1"; fi; }

meson install -C "$BUILD" --destdir "$D" --no-rebuild --quiet >"$D.log" 2>&1
t "meson install succeeds" [ $? -eq 0 ]
prefix=$(meson introspect "$BUILD" --buildoptions | python3 -c 'import json,sys; print([o["value"] for o in json.load(sys.stdin) if o["name"]=="prefix"][0])')
t "ipsecgwd in sbin" [ -x "$D$prefix/sbin/ipsecgwd" ]
t "ipsecgw in bin" [ -x "$D$prefix/bin/ipsecgw" ]
unit="$D$prefix/lib/systemd/system/ipsecgwd.service"
t "systemd unit installed" [ -f "$unit" ]
t "unit starts the installed daemon in the foreground" grep -q "^ExecStart=$prefix/sbin/ipsecgwd --foreground --config /etc/ipsecgw/ipsecgw.yaml" "$unit"
t "unit checks the config first" grep -q "^ExecStartPre=$prefix/bin/ipsecgw check /etc/ipsecgw/ipsecgw.yaml" "$unit"
t "unit reload is SIGHUP" grep -q '^ExecReload=/bin/kill -HUP \$MAINPID' "$unit"
t "no unsubstituted @VARS@" sh -c "! grep -q '@[A-Z]*@' '$unit'"
t "docs installed" [ -f "$D$prefix/share/doc/ipsecgw/docs/configuration.md" ]
t "installed CLI runs" sh -c "'$D$prefix/bin/ipsecgw' --version | grep -q '^ipsecgw '"
rm -f "$D.log"
echo "1..$n"
[ "$fails" -eq 0 ]
