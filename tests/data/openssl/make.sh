#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
#
# tests/data/openssl/make.sh: CMP messages of every body type that
# `openssl cmp` (OpenSSL 3.0) makes, client and in-process mock server
# (-use_mock_srv: no socket, no network). Writes <flow>-<nn>-<body>.der
# into this directory; see README for the flows.
#
# The output is not reproducible byte for byte (fresh keys, nonces and
# times each run); the committed files are one run. Run from any directory:
#   sh tests/data/openssl/make.sh

set -eu

here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/cmpstack-openssl.XXXXXX")
trap 'rm -rf "$tmp"' EXIT INT TERM
cd "$tmp"

export OPENSSL_CONF=/dev/null

# --- a throwaway PKI: CA, the client's current certificate, a new key -------
key() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1" 2>/dev/null; }
key ca.key
key ee.key
key new.key
openssl req -x509 -new -key ca.key -subj "/CN=MockCA" -days 3650 -sha256 \
    -addext "basicConstraints=critical,CA:TRUE" \
    -addext "keyUsage=critical,keyCertSign,cRLSign,digitalSignature" \
    -addext "subjectKeyIdentifier=hash" -out ca.pem
cat >ee.ext <<'EOF'
basicConstraints=critical,CA:FALSE
keyUsage=critical,digitalSignature
subjectKeyIdentifier=hash
authorityKeyIdentifier=keyid
EOF
for who in ee new; do
    openssl req -new -key "$who.key" -subj "/CN=EE-$who" -out "$who.csr"
    openssl x509 -req -in "$who.csr" -CA ca.pem -CAkey ca.key -set_serial "0x$(openssl rand -hex 20 | cut -c1-38)" \
        -days 365 -sha256 -extfile ee.ext -out "$who.pem" 2>/dev/null
done
openssl req -new -key new.key -subj "/CN=EE new" -outform DER -out new.p10

# --- common arguments --------------------------------------------------------
# Mock server: signs with the CA key, returns new.pem as the enrolled cert.
SRV="-use_mock_srv -srv_cert ca.pem -srv_key ca.key -srv_trusted ca.pem
     -rsp_cert new.pem -rsp_capubs ca.pem"
# Mock server answering with PBM (shared secret) instead of a signature.
SRV_PBM="-use_mock_srv -srv_ref mock-ca -srv_secret pass:cmpstack-test
     -rsp_cert new.pem -rsp_capubs ca.pem"
# Client: signature protection with its current certificate.
SIG="-cert ee.pem -key ee.key -srvcert ca.pem"
# Client: PBM protection.
PBM="-ref ee-ref -secret pass:cmpstack-test -recipient /CN=MockCA"
NEW="-newkey new.key -subject /CN=EE-new -out_trusted ca.pem -certout out.pem"

# run FLOW "REQUEST NAMES" "RESPONSE NAMES" ARGS...: one transaction; the
# i-th request is saved as FLOW-<2i-1>-<name>, the i-th response as
# FLOW-<2i>-<name>, so a flow's files sort in wire order.
run() {
    flow=$1 reqs=$2 rsps=$3
    shift 3
    reqout="" rspout="" i=1
    for r in $reqs; do
        reqout="$reqout${reqout:+,}$flow-$(printf %02d $((2 * i - 1)))-$r.der"
        i=$((i + 1))
    done
    i=1
    for r in $rsps; do
        rspout="$rspout${rspout:+,}$flow-$(printf %02d $((2 * i)))-$r.der"
        i=$((i + 1))
    done
    # shellcheck disable=SC2086
    openssl cmp "$@" -reqout "$reqout" -rspout "$rspout" >"$flow.log" 2>&1 ||
        echo "make.sh: $flow: openssl cmp failed (expected for error flows)" >&2
}

# shellcheck disable=SC2086
{
run ir-pbm     "ir certConf"  "ip pkiConf"    -cmd ir $PBM $SRV_PBM $NEW
run ir-sig     "ir certConf"  "ip pkiConf"    -cmd ir $SIG $SRV $NEW
run ir-implicit "ir"          "ip"            -cmd ir $SIG $SRV $NEW -implicit_confirm -grant_implicitconf
run cr-sig     "cr certConf"  "cp pkiConf"    -cmd cr $SIG $SRV $NEW
run kur-sig    "kur certConf" "kup pkiConf"   -cmd kur $SIG $SRV $NEW -oldcert new.pem
run p10cr-sig  "p10cr certConf" "cp pkiConf"  -cmd p10cr $SIG $SRV -csr new.p10 -out_trusted ca.pem -certout out.pem
run genm-sig   "genm"         "genp"          -cmd genm $SIG $SRV
run genm-pbm   "genm"         "genp"          -cmd genm $PBM $SRV_PBM -infotype signKeyPairTypes
run rr-sig     "rr"           "rp"            -cmd rr $SIG $SRV -oldcert new.pem -revreason 1
run poll-sig   "ir pollReq pollReq certConf" "ip pollRep ip pkiConf" \
                                              -cmd ir $SIG $SRV $NEW -poll_count 2 -check_after 0
run error-sig  "ir"           "error"         -cmd ir $SIG $SRV $NEW -send_error
run reject-sig "cr"           "cp"            -cmd cr $SIG $SRV $NEW -pkistatus 2 -failure 9 \
                                              -statusstring "rejected by make.sh"
}

rm -f "$here"/*.der
cp ./*.der "$here/"
ls "$here"/*.der | wc -l | sed 's/^/make.sh: messages written: /'
