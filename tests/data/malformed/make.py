#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
#
# tests/data/malformed/make.py: writes the malformed and BER-variant
# PKIMessages (*.der in this directory) that tests/unit/check_msg.c feeds
# to cmp_msg_decode, each derived from one real message by one change.
# Deterministic: running it again writes the same bytes as long as the
# base messages in ../bouncycastle and ../openssl stay the same.
# README lists every file with the change and the expected result.

import os

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "..")


# --- a DER tree: [tag_bytes, bytes | [children], {options}] ----------------
#     options: "indef" (indefinite length), "lenbytes" (long form, n octets)

def parse(b, off=0, end=None):
    end = len(b) if end is None else end
    out = []
    while off < end:
        tag = b[off:off + 1]
        off += 1
        n = b[off]
        off += 1
        if n & 0x80:
            k = n & 0x7F
            n = int.from_bytes(b[off:off + k], "big")
            off += k
        if tag[0] & 0x20:
            out.append([tag, parse(b, off, off + n), {}])
        else:
            out.append([tag, b[off:off + n], {}])
        off += n
    return out


def length(n, lenbytes=None):
    if lenbytes is None:
        if n < 0x80:
            return bytes([n])
        lenbytes = (n.bit_length() + 7) // 8
    return bytes([0x80 | lenbytes]) + n.to_bytes(lenbytes, "big")


def ser(nodes, all_indef=False):
    out = b""
    for tag, v, opt in nodes:
        if isinstance(v, list):
            body = ser(v, all_indef)
            if opt.get("indef") or all_indef:
                out += tag + b"\x80" + body + b"\x00\x00"
                continue
        else:
            body = v
        out += tag + length(len(body), opt.get("lenbytes")) + body
    return out


def node(tag, v):
    return [bytes([tag]), v, {}]


def walk(nodes):
    for n in nodes:
        yield n
        if isinstance(n[1], list):
            yield from walk(n[1])


def load(rel):
    with open(os.path.join(DATA, rel), "rb") as f:
        return f.read()


def write(name, data):
    with open(os.path.join(HERE, name), "wb") as f:
        f.write(data)


def msg(rel):
    t = parse(load(rel))
    assert len(t) == 1 and t[0][0] == b"\x30"
    return t


def parts(t):
    """header, body, and the optional [0] protection and [1] extraCerts."""
    return t[0][1]


def header(t):
    return parts(t)[0][1]


def opt_field(t, tag):
    for f in header(t)[3:]:
        if f[0][0] == tag:
            return f
    raise SystemExit("no header field %02x" % tag)


CERTCONF = "bouncycastle/IrWithMacProtection__downstream_CERT_CONFIRM.der"  # no certs
PKICONF = "bouncycastle/IrWithMacProtection__downstream_CONFIRM.der"  # 3 extraCerts
REJECT = "openssl/reject-sig-02-cp.der"  # failInfo, statusString

# --- framing -----------------------------------------------------------------

t = msg(CERTCONF)
write("01-indefinite-outer.der", b"\x30\x80" + ser(parts(t)) + b"\x00\x00")

t = msg(CERTCONF)
parts(t)[0][2]["indef"] = True
write("02-indefinite-header.der", ser(t))

write("03-indefinite-all.der", ser(msg(CERTCONF), all_indef=True))

t = msg(CERTCONF)
t[0][2]["lenbytes"] = 3
write("04-nonminimal-length-outer.der", ser(t))

t = msg(CERTCONF)
opt_field(t, 0xA4)[1][0][2]["lenbytes"] = 1  # transactionID 04 81 10
write("05-nonminimal-length-inner.der", ser(t))

t = msg(CERTCONF)
parts(t)[0][2]["lenbytes"] = 4  # header 30 84 00 00 00 e3
write("06-length-leading-zeros.der", ser(t))

write("07-trailing-byte.der", load(CERTCONF) + b"\x00")

write("08-indefinite-trailing-byte.der",
      b"\x30\x80" + ser(parts(msg(CERTCONF))) + b"\x00\x00\x00")

t = msg(CERTCONF)
t[0][0] = b"\x31"
write("09-outer-tag-set.der", ser(t))

t = msg(CERTCONF)
parts(t)[0][0] = b"\x31"
write("10-header-tag-set.der", ser(t))

t = msg(CERTCONF)
parts(t)[1][0] = b"\xbb"  # [27]: no such PKIBody
write("11-body-tag-27.der", ser(t))

t = msg(CERTCONF)
parts(t)[1] = node(0x98, b"\x00")  # [24] primitive
write("12-body-primitive.der", ser(t))

t = msg(CERTCONF)
parts(t).append(node(0xA2, [node(0x05, b"")]))
write("13-element-after-protection.der", ser(t))

t = msg(PKICONF)
p = parts(t)
p[2], p[3] = p[3], p[2]  # extraCerts before protection
write("14-extracerts-before-protection.der", ser(t))

t = msg(CERTCONF)
del parts(t)[1:]
write("15-no-body.der", ser(t))

t = msg(CERTCONF)
header(t)[0] = node(0x04, b"\x02")  # pvno as OCTET STRING
write("16-pvno-octet-string.der", ser(t))

t = msg(CERTCONF)
header(t).append(node(0xA9, [node(0x05, b"")]))  # header [9]
write("17-header-unknown-field.der", ser(t))

# --- limits ---------------------------------------------------------------------

t = msg(PKICONF)
extra = parts(t)[3][1][0][1]
cert = extra[0]
extra[:] = [cert] * 33
write("20-extracerts-33.der", ser(t))
extra[:] = [cert] * 32
write("21-extracerts-32.der", ser(t))
extra[:] = []
write("22-extracerts-empty.der", ser(t))

# 45 nested SEQUENCEs in a freeText-like [7] header field
inner = node(0x0C, b"x")
for _ in range(45):
    inner = node(0x30, [inner])
t = msg(CERTCONF)
header(t).insert(3, node(0xA7, [inner]))
write("23-deep-nesting.der", ser(t))

# --- value forms ------------------------------------------------------------------

t = msg(CERTCONF)
header(t)[0][1] = b"\x00\x02"
write("30-pvno-nonminimal.der", ser(t))

t = msg(CERTCONF)
header(t)[0][1] = b"\xff\xfe"
write("31-pvno-redundant-ff.der", ser(t))

t = msg(CERTCONF)
header(t)[0][1] = b""
write("32-pvno-empty.der", ser(t))

t = msg(CERTCONF)
prot = parts(t)[2][1][0]
prot[1] = b"\x01" + prot[1][1:-1] + bytes([prot[1][-1] | 1])
write("33-bitstring-unused-nonzero.der", ser(t))

t = msg(CERTCONF)
parts(t)[2][1][0][1] = b"\x03"
write("34-bitstring-empty-unused.der", ser(t))

t = msg(CERTCONF)
parts(t)[2][1][0][1] = b"\x08" + parts(t)[2][1][0][1][1:]
write("35-bitstring-unused-8.der", ser(t))

t = msg(CERTCONF)
for n in walk(t):
    if n[0] == b"\x05" and n[1] == b"":
        n[1] = b"\x00"
        break
else:
    raise SystemExit("no NULL")
write("36-null-with-content.der", ser(t))

t = msg(CERTCONF)
for n in walk(t):
    if n[0] == b"\x06" and n[1] == bytes.fromhex("2a864886f70d01050e"):  # PBMAC1
        n[1] = bytes.fromhex("2a80864886f70d01050e")
        break
else:
    raise SystemExit("no PBMAC1 OID")
write("37-oid-nonminimal.der", ser(t))

t = msg(CERTCONF)
mt = opt_field(t, 0xA0)[1][0]
gt = mt[1]
mt[1] = gt[:-1]  # no Z
write("38-gtime-no-z.der", ser(t))
mt[1] = gt[:-1] + b".50Z"
write("39-gtime-fraction-trailing-zero.der", ser(t))
mt[1] = gt[:4] + b"13" + gt[6:]
write("40-gtime-month-13.der", ser(t))
mt[1] = gt[:4] + b"0230" + gt[8:]
write("41-gtime-feb-30.der", ser(t))
mt[1] = gt[:-1] + b".5Z"
write("42-gtime-fraction.der", ser(t))  # valid DER

t = msg(PKICONF)
for n in walk(t):
    if n[0] == b"\x17":
        n[1] = n[1][:10] + b"Z"  # YYMMDDHHMMZ, no seconds
        break
else:
    raise SystemExit("no UTCTime")
write("43-utctime-no-seconds.der", ser(t))

t = msg(CERTCONF)
tid = opt_field(t, 0xA4)[1]
v = tid[0][1]
tid[0] = [b"\x24", [node(0x04, v[:8]), node(0x04, v[8:])], {}]
write("44-constructed-octet-string.der", ser(t))

# sender with a two-valued RDN whose SET OF is not sorted (X.690 11.6)
t = msg(CERTCONF)
rdn = header(t)[1][1][0][1][0]  # [4] -> Name SEQUENCE -> first SET
cn = rdn[1][0]
ou = [b"\x30", [node(0x06, b"\x55\x04\x0b"), node(0x0C, b"zz")], {}]
# DER sorts the encodings as octet strings: OU's "30 09 .." before CN's
# "30 0e ..". Put them the other way round.
rdn[1] = [cn, ou]
write("45-set-of-unsorted.der", ser(t))

t = msg(REJECT)
for n in walk(t):
    if n[0] == b"\x03" and len(n[1]) <= 5:  # the failInfo
        n[1] = b"\x00" + n[1][1:] + b"\x00"
        break
else:
    raise SystemExit("no failInfo")
write("46-failinfo-trailing-zeros.der", ser(t))

t = msg(REJECT)
for n in walk(t):
    if n[0] == b"\x0c" and n[1] == b"rejected by make.sh":
        n[1] = b"rejected \xc0\xaf"  # overlong '/': not UTF-8
        break
else:
    raise SystemExit("no statusString")
write("47-utf8-invalid.der", ser(t))

t = msg(CERTCONF)
header(t)[1] = node(0x81, b"caf\xe9@example.com")  # rfc822Name, not IA5
write("48-ia5-high-byte.der", ser(t))

t = msg(CERTCONF)
header(t)[0][1] = b"\x01" * 9  # pvno beyond 64 bits
write("49-pvno-huge.der", ser(t))
