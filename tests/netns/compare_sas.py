#!/usr/bin/env python3
"""Checks that ipsecgw and strongSwan agree on the SAs between them.

ipsecgw: `show ike-sa --json`, `show ipsec-sa --json`; strongSwan:
`swanctl --list-sas` text. Same IKE SPIs, same IKE algorithms, CHILD SPIs
crossed (our inbound is its outbound), same ESP algorithms. Prints what
differs and exits 1.
"""
import json
import re
import sys


def norm(s):
    # strongSwan prints AES_CBC-256, AES_GCM_16-256; the registry names use '_'.
    return s.replace("-", "_")


def main(ike_file, child_file, sw_file):
    ike = json.load(open(ike_file))
    child = json.load(open(child_file))
    sw = open(sw_file).read()
    problems = []
    m = re.search(r"IKEv2, ([0-9a-f]{16})_i\*? ([0-9a-f]{16})_r\*?", sw)
    if not m:
        print("strongSwan shows no IKEv2 SA:\n" + sw)
        return 1
    sw_spi_i, sw_spi_r = m.group(1), m.group(2)
    est = [s for s in ike if s["state"] == "established"]
    if len(est) != 1:
        problems.append(f"ipsecgw has {len(est)} established IKE SAs, not 1")
    else:
        s = est[0]
        if (s["spi_i"], s["spi_r"]) != (sw_spi_i, sw_spi_r):
            problems.append(f"IKE SPIs differ: ipsecgw {s['spi_i']}/{s['spi_r']}, "
                            f"strongSwan {sw_spi_i}/{sw_spi_r}")
        algs = [s["encryption"], s["integrity"], s["prf"], s["dh_group"]]
        want = "/".join(a for a in algs if a)
        lines = [norm(l.strip()) for l in sw.splitlines()]
        if want not in lines:
            problems.append(f"IKE algorithms differ: ipsecgw {want}; strongSwan: "
                            + "; ".join(l for l in lines if "/" in l and "ESP" not in l))
    cm = re.search(r"ESP:(\S+)", sw)
    ins = re.search(r"\bin\s+([0-9a-f]{8})", sw)
    outs = re.search(r"\bout\s+([0-9a-f]{8})", sw)
    inst = [c for c in child if c["state"] == "installed"]
    if len(inst) != 1 or not (cm and ins and outs):
        problems.append(f"CHILD SAs: ipsecgw {len(inst)} installed; strongSwan "
                        + ("shows one" if cm else "shows none"))
    else:
        c = inst[0]
        if c["spi_in"] != outs.group(1) or c["spi_out"] != ins.group(1):
            problems.append(f"CHILD SPIs differ: ipsecgw in {c['spi_in']} out {c['spi_out']}; "
                            f"strongSwan in {ins.group(1)} out {outs.group(1)}")
        # strongSwan lists ESP algorithms without the PFS group.
        sw_esp = norm(cm.group(1))
        ours = "/".join(p for p in c["proposal"].split("/")
                        if not re.match(r"(MODP|ECP|CURVE)_", p))
        if sw_esp != ours:
            problems.append(f"ESP algorithms differ: ipsecgw {c['proposal']}, strongSwan {sw_esp}")
    for p in problems:
        print(p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:4]))
