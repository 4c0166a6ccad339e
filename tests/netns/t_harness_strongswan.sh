#!/bin/bash
# Harness self-test: strongSwan <-> strongSwan (kernel-libipsec) in the
# guide's topology through NAT, IKEv2 PSK aes256-sha256-modp1024, ping both
# ways. If this fails, the lab (not ipsecgw) is broken; the scenarios
# against ipsecgw use the same helpers. It is also make bench's baseline.
. "$(dirname "$0")/lib.sh"

topo_guide || { fail "topology"; finish; }
pass "guide topology built"

cat >"$T_DIR/cloud.conf" <<'EOT'
connections {
  cloud {
    version = 2
    local_addrs = 203.0.113.7
    proposals = aes256-sha256-modp1024
    dpd_delay = 15s
    local { auth = psk
            id = 203.0.113.7 }
    remote { auth = psk
             id = 198.51.100.57 }
    children {
      net {
        local_ts = 192.168.25.0/24
        remote_ts = 192.168.0.0/24,10.0.2.0/24
        esp_proposals = aes256-sha256-modp1024
        start_action = none
      }
    }
  }
}
secrets {
  ike-1 { id-1 = 203.0.113.7
          id-2 = 198.51.100.57
          secret = "8 to 40 characters" }
}
EOT
cat >"$T_DIR/onprem.conf" <<'EOT'
connections {
  onprem {
    version = 2
    local_addrs = 192.168.0.123
    remote_addrs = 203.0.113.7
    proposals = aes256-sha256-modp1024
    dpd_delay = 15s
    local { auth = psk
            id = 198.51.100.57 }
    remote { auth = psk
             id = 203.0.113.7 }
    children {
      net {
        local_ts = 192.168.0.0/24,10.0.2.0/24
        remote_ts = 192.168.25.0/24
        esp_proposals = aes256-sha256-modp1024
        dpd_action = restart
        start_action = none
      }
    }
  }
}
secrets {
  ike-1 { id-1 = 203.0.113.7
          id-2 = 198.51.100.57
          secret = "8 to 40 characters" }
}
EOT
check "charon starts (cloud)" sw_start $CGW "$T_DIR/cloud"
check "charon starts (on-prem)" sw_start $OPGW "$T_DIR/onprem"
check "cloud config loads" sw_load "$T_DIR/cloud" "$T_DIR/cloud.conf"
check "on-prem config loads" sw_load "$T_DIR/onprem" "$T_DIR/onprem.conf"
swanctl_ "$T_DIR/onprem" --initiate --child net --timeout 20 >"$T_DIR/initiate.log" 2>&1
check "on-prem initiates through NAT" grep -q "initiate completed successfully" "$T_DIR/initiate.log"
swanctl_ "$T_DIR/cloud" --list-sas >"$T_DIR/sas.txt" 2>&1; cat "$T_DIR/sas.txt" | sed "s/^/# /"
check "NAT detected: ESP in UDP" grep -q "TUNNEL-in-UDP" "$T_DIR/sas.txt"
check "ping on-prem host -> cloud host" ping_ok $OHOST 192.168.25.3
check "ping cloud host -> on-prem host" ping_ok $CHOST 10.0.2.5
finish
