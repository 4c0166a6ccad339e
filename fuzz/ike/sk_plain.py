#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Seeds for fuzz_ike_msg from a real exchange: reads an Ethernet pcap of
UDP 500/4500 and the ikev2_decryption_table that `ipsecgw export wireshark`
wrote for it, decrypts every SK payload (AES-CBC + HMAC, or AES-GCM, RFC
7296 3.14 / RFC 5282) and writes each message with its SK body in the shape
the fuzz target walks: IV(16) | decrypted inner chain | ICV(16), in the
clear (the same shape as gen_corpus_ike.c's seeds). Cleartext messages
(IKE_SA_INIT) are written as they were.

  sk_plain.py PCAP TABLE OUTDIR PREFIX
Needs python3-cryptography.
"""
import os
import struct
import sys

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

EXCH = {34: "sa_init", 35: "ike_auth", 36: "create_child", 37: "info"}


def udp_payloads(path):
    data = open(path, "rb").read()
    endian = "<" if struct.unpack("<I", data[:4])[0] in (0xA1B2C3D4, 0xA1B23C4D) else ">"
    off = 24
    while off + 16 <= len(data):
        incl = struct.unpack(endian + "I", data[off + 8:off + 12])[0]
        frame = data[off + 16:off + 16 + incl]
        off += 16 + incl
        ip = frame[14:]
        if len(ip) < 28 or ip[0] >> 4 != 4 or ip[9] != 17:
            continue
        ihl = (ip[0] & 15) * 4
        sport, dport = struct.unpack("!HH", ip[ihl:ihl + 4])
        pl = ip[ihl + 8:]
        if 4500 in (sport, dport):
            if len(pl) < 4 or pl[:4] != b"\0\0\0\0":
                continue  # ESP or a keepalive
            pl = pl[4:]
        if len(pl) >= 28:
            yield pl


def keys(table):
    out = {}
    for row in open(table):
        f = row.strip().split(",")
        if row.startswith("#") or len(f) < 8:
            continue
        if True:
            out[(int(f[0], 16), int(f[1], 16))] = {
                "ei": bytes.fromhex(f[2]), "er": bytes.fromhex(f[3]), "alg": f[4],
                "ai": bytes.fromhex(f[5]) if f[5] else b"", "integ": f[7]}
    return out


def sk_offset(msg):
    """(offset of the SK payload, its generic header's next payload) or None."""
    nxt, off = msg[16], 28
    while nxt and off + 4 <= len(msg):
        n2, _, ln = struct.unpack("!BBH", msg[off:off + 4])
        if nxt == 46:
            return off, n2
        if ln < 4:
            return None
        nxt, off = n2, off + ln
    return None


def decrypt(msg, k):
    at = sk_offset(msg)
    if not at:
        return None
    off, first = at
    ln = struct.unpack("!H", msg[off + 2:off + 4])[0]
    body = msg[off + 4:off + ln]
    from_i = bool(msg[19] & 0x08)
    key = k["ei"] if from_i else k["er"]
    if "GCM" in k["alg"]:
        iv, ct = body[:8], body[8:]
        plain = AESGCM(key[:-4]).decrypt(key[-4:] + iv, ct, msg[:off + 4])
    else:
        icv = 16 if "256" in k["integ"] else 12
        iv, ct = body[:16], body[16:len(body) - icv]
        d = Cipher(algorithms.AES(key), modes.CBC(iv)).decryptor()
        plain = d.update(ct) + d.finalize()
    plain = plain[:len(plain) - 1 - plain[-1]]  # pad length (3.14)
    sk = struct.pack("!BBH", first, 0, 4 + 16 + len(plain) + 16) + b"\xa5" * 16 + plain + b"\x5a" * 16
    out = msg[:off] + sk
    return out[:24] + struct.pack("!I", len(out)) + out[28:]


def main():
    pcap, table, outdir, prefix = sys.argv[1:5]
    ks = keys(table)
    n = 0
    for msg in udp_payloads(pcap):
        spi_i, spi_r = struct.unpack("!QQ", msg[:16])
        name = "%s_%s_%s_%d" % (prefix, EXCH.get(msg[18], str(msg[18])),
                               "resp" if msg[19] & 0x20 else "req", n)
        if msg[16] == 46 or sk_offset(msg):
            if (spi_i, spi_r) not in ks:
                continue
            msg = decrypt(msg, ks[(spi_i, spi_r)])
            if msg is None:
                continue
        with open(os.path.join(outdir, name), "wb") as f:
            f.write(msg)
        n += 1
    print("%s: %d seeds" % (prefix, n))


if __name__ == "__main__":
    main()
