#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
#
# tests/data/asn1rt/make.py: writes the asn1c runtime regression inputs
# (*.der in this directory) from the Bouncy Castle corpus in
# ../bouncycastle. Deterministic: running it again writes the same bytes.
# See README for what each file exercises.

import os

HERE = os.path.dirname(os.path.abspath(__file__))
BC = os.path.join(HERE, "..", "bouncycastle")


# --- a minimal DER tree: [tag_bytes, bytes | [children]] -------------------

def parse(b, off=0, end=None):
    end = len(b) if end is None else end
    out = []
    while off < end:
        t0 = off
        tag = b[off]
        off += 1
        if tag & 0x1F == 0x1F:
            while b[off] & 0x80:
                off += 1
            off += 1
        tagb = b[t0:off]
        n = b[off]
        off += 1
        if n & 0x80:
            k = n & 0x7F
            n = int.from_bytes(b[off:off + k], "big")
            off += k
        if tag & 0x20:
            out.append([tagb, parse(b, off, off + n)])
        else:
            out.append([tagb, b[off:off + n]])
        off += n
    return out


def length(n):
    if n < 0x80:
        return bytes([n])
    k = (n.bit_length() + 7) // 8
    return bytes([0x80 | k]) + n.to_bytes(k, "big")


def ser(nodes):
    out = b""
    for tagb, v in nodes:
        body = ser(v) if isinstance(v, list) else v
        out += tagb + length(len(body)) + body
    return out


def walk(nodes):
    for n in nodes:
        yield n
        if isinstance(n[1], list):
            yield from walk(n[1])


def load(name):
    with open(os.path.join(BC, name), "rb") as f:
        return f.read()


def write(name, data):
    with open(os.path.join(HERE, name), "wb") as f:
        f.write(data)


PKICONF = "IrWithMacProtection__downstream_CONFIRM.der"     # has extraCerts
CERTCONF = "IrWithMacProtection__downstream_CERT_CONFIRM.der"  # no certs


# --- runtime defects: each must make ber_decode fail, and terminate -----------

# skel-04: PKIMessage and PKIHeader with indefinite lengths; sender is
# directoryName [4] (an EXPLICIT tag on the CHOICE Name) with an
# indefinite length, whose end-of-contents is 00 01 instead of 00 00.
write("eoc-choice-loop.der", bytes.fromhex(
    "3080" "3080" "020102" "a480" "3000" "0001" "00000000"))

# skel-06: a length of 8 octets, all ff: the 8th shift overflows a 64-bit
# ssize_t (UBSan: left shift ... cannot be represented).
write("length-shift-overflow.der", bytes.fromhex("3088" + "ff" * 8 + "00"))

# skel-07: certConf whose protection BIT STRING says 0x40 unused bits,
# primitive form, and the same in constructed (segmented) form.
t = parse(load(CERTCONF))
prot = t[0][1][2]                       # [0] PKIProtection
assert prot[0] == b"\xa0" and prot[1][0][0] == b"\x03"
bits = prot[1][0][1]
prot[1][0][1] = b"\x40" + bits[1:]
write("bitstring-unused-bits.der", ser(t))
prot[1][0] = [b"\x23", [[b"\x03", b"\x40" + bits[1:9]],
                        [b"\x03", b"\x00" + bits[9:]]]]
write("bitstring-unused-bits-segmented.der", ser(t))

# skel-08: a pollReq whose certReqId is -1 (decodes; asn_INTEGER2long on it
# shifted a negative value). Minimal header: pvno 2, empty directoryNames.
hdr = bytes.fromhex("300b" "020102" "a4023000" "a4023000")
msg = hdr + bytes.fromhex("b907" "3005" "3003" "0201ff")
write("integer-negative.der", bytes([0x30, len(msg)]) + msg)

# max_stack_size: 3000 nested PKIMessages (body nested [20], PKIMessages),
# indefinite lengths so the file stays small. A minimal header each level.
hdr = bytes.fromhex("300b" "020102" "a4023000" "a4023000")
depth = 3000
write("deep-nesting.der",
      (bytes.fromhex("3080") + hdr + bytes.fromhex("b4803080")) * depth
      + bytes.fromhex("3080") + hdr + bytes.fromhex("b3020500") + b"\0\0"
      + b"\0\0" * 3 * depth)


# --- not DER, yet ber_decode accepts: the message layer must reject these
#     by consumed == length and byte-identical re-encoding ---------------

base = load(PKICONF)

# skel-05 + mod-08: an Extension with critical FALSE present (DEFAULT FALSE).
t = parse(base)
for n in walk(t):
    if (n[0] == b"\x30" and isinstance(n[1], list) and len(n[1]) == 2
            and n[1][0][0] == b"\x06" and n[1][0][1][:2] == b"\x55\x1d"
            and n[1][1][0] == b"\x04"):
        n[1].insert(1, [b"\x01", b"\x00"])
        break
else:
    raise SystemExit("no non-critical extension found")
write("default-critical-false.der", ser(t))

# skel-05: a certificate in extraCerts with version [0] v1 present (DEFAULT v1).
t = parse(base)
for n in walk(t):
    if n[0] == b"\xa0" and isinstance(n[1], list) and n[1] == [[b"\x02", b"\x02"]]:
        n[1][0][1] = b"\x00"
        break
else:
    raise SystemExit("no version [0] 2 found")
write("default-version-v1.der", ser(t))

# BOOLEAN TRUE as 01 (DER: ff): a critical extension with 01 01 01.
t = parse(base)
for n in walk(t):
    if n[0] == b"\x01" and n[1] == b"\xff":
        n[1] = b"\x01"
        break
else:
    raise SystemExit("no BOOLEAN TRUE found")
write("boolean-true-01.der", ser(t))

# Outer SEQUENCE with an indefinite length.
t = parse(base)
write("indefinite-length.der",
      b"\x30\x80" + ser(t[0][1]) + b"\x00\x00")

# Outer SEQUENCE with a non-minimal (one octet too long) length.
inner = ser(t[0][1])
n = len(inner)
k = (n.bit_length() + 7) // 8 + 1
write("nonminimal-length.der",
      b"\x30" + bytes([0x80 | k]) + n.to_bytes(k, "big") + inner)

# One trailing byte after a valid message.
write("trailing-byte.der", base + b"\x00")
