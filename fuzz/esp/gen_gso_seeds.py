#!/usr/bin/env python3
"""Seeds for fuzz_gso (fuzz/corpus/fuzz_gso/): byte 0 even = segmenter input
(10-byte little-endian virtio net header, then a packet), odd = coalescer
input (packets behind 2-byte big-endian lengths). Run from the repository root."""
import os
import struct

OUT = "fuzz/corpus/fuzz_gso"


def csum(b, s=0):
    if len(b) % 2:
        b += b"\0"
    for i in range(0, len(b), 2):
        s += b[i] << 8 | b[i + 1]
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return s


def tcp(v6, seq, payload, flags=0x10, ipopt=b"", tcpopt=b"", df=True, ident=1):
    thl = 20 + len(tcpopt)
    t = struct.pack(">HHIIBBHHH", 40000, 5201, seq, 1000, (thl // 4) << 4, flags, 512, 0, 0)
    t += tcpopt + payload
    if v6:
        src, dst = bytes(15) + b"\1", bytes(15) + b"\2"
        hdr = struct.pack(">IHBB", 0x60000000, len(t), 6, 64) + src + dst
        ps = csum(src + dst) + 6 + len(t)
    else:
        src, dst = bytes([10, 0, 2, 5]), bytes([192, 168, 25, 3])
        ihl = (20 + len(ipopt)) // 4
        hdr = struct.pack(">BBHHHBBH", 0x40 | ihl, 0, 20 + len(ipopt) + len(t), ident,
                          0x4000 if df else 0, 64, 6, 0) + src + dst + ipopt
        hdr = hdr[:10] + struct.pack(">H", ~csum(hdr) & 0xFFFF) + hdr[12:]
        ps = csum(src + dst) + 6 + len(t)
    c = ~csum(t, ps) & 0xFFFF
    t = t[:16] + struct.pack(">H", c) + t[18:]
    return hdr + t


def vnet(flags, gso_type, hdr_len, gso_size, start, off):
    return struct.pack("<BBHHHH", flags, gso_type, hdr_len, gso_size, start, off)


def main():
    os.makedirs(OUT, exist_ok=True)
    seeds = {}
    body = bytes(range(256)) * 12
    p = tcp(False, 1, body[:3000], flags=0x18 | 0x01 | 0x80)
    seeds["seg_v4"] = b"\0" + vnet(1, 1, 40, 1000, 20, 16) + p
    p = tcp(False, 1, body[:2500], ipopt=b"\1" * 8, tcpopt=b"\1\1\x08\x0a" + bytes(8))
    seeds["seg_v4_opts"] = b"\0" + vnet(1, 0x81, 60, 1200, 28, 16) + p
    p = tcp(True, 7, body[:2900], tcpopt=b"\1\1\x08\x0a" + bytes(8))
    seeds["seg_v6"] = b"\0" + vnet(1, 4, 72, 1428, 40, 16) + p
    p = tcp(False, 1, body[:100])
    seeds["seg_csum_only"] = b"\0" + vnet(1, 0, 0, 0, 20, 16) + p
    segs = [tcp(False, 100 + i * 1000, body[i:i + 1000], ident=i) for i in range(4)]
    segs.append(tcp(False, 4100, body[:300], flags=0x18, ident=4))
    seeds["coal_v4"] = b"\1" + b"".join(struct.pack(">H", len(s)) + s for s in segs)
    segs = [tcp(True, 1 + i * 700, body[:700]) for i in range(3)]
    segs.insert(1, tcp(False, 5, body[:700]))
    seeds["coal_mixed"] = b"\1" + b"".join(struct.pack(">H", len(s)) + s for s in segs)
    for name, data in seeds.items():
        with open(os.path.join(OUT, name), "wb") as f:
            f.write(data)


if __name__ == "__main__":
    main()
