#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# tests/data/pki/make_server.sh: the test PKI of the server tests, written
# into tests/data/pki/server/ (run it from anywhere; it regenerates every
# file). Made with openssl; every key is EC P-256, every certificate valid
# from the day it is made for 20 years (the unit tests use a fixed clock
# inside that window: 1830000000 = 2027-12-29).
#
#   vendor-root  -> vendor-ca  -> device          the device's supplier certificate
#   op-root      -> op-ca      -> cmp-server      the CA that issues, and the
#                                                 certificate signing responses
#   rogue-root   -> rogue-device                  a PKI the server does not trust
#   device-rsa.key                                an RSA-2048 key for requests
set -euo pipefail
out="$(cd "$(dirname "$0")" && pwd)/server"
mkdir -p "$out"
cd "$out"
rm -f ./*.crt ./*.key ./*.der ./*.srl ./*.csr ./*.ext

days=7300
ca_ext="basicConstraints=critical,CA:TRUE
keyUsage=critical,keyCertSign,cRLSign
subjectKeyIdentifier=hash"
sub_ext="$ca_ext
authorityKeyIdentifier=keyid"
ee_ext="basicConstraints=critical,CA:FALSE
keyUsage=critical,digitalSignature
subjectKeyIdentifier=hash
authorityKeyIdentifier=keyid"

# mkcert NAME SUBJECT ISSUER|self EXTENSIONS
mkcert() {
    local name=$1 subj=$2 issuer=$3 ext=$4
    openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$name.key" 2>/dev/null
    printf '[ext]\n%s\n' "$ext" > "$name.ext"
    if [ "$issuer" = self ]; then
        openssl req -new -x509 -key "$name.key" -subj "$subj" -days $days -sha256 \
            -extensions ext -config <(printf '[req]\ndistinguished_name=dn\n[dn]\n'; cat "$name.ext") \
            -out "$name.crt" 2>/dev/null
    else
        openssl req -new -key "$name.key" -subj "$subj" -out "$name.csr" 2>/dev/null
        openssl x509 -req -in "$name.csr" -CA "$issuer.crt" -CAkey "$issuer.key" \
            -CAcreateserial -days $days -sha256 -extfile "$name.ext" -extensions ext \
            -out "$name.crt" 2>/dev/null
    fi
    openssl x509 -in "$name.crt" -outform DER -out "$name.der"
    rm -f "$name.csr" "$name.ext"
}

mkcert vendor-root "/O=Vendor/CN=Vendor Root CA" self "$ca_ext"
mkcert vendor-ca "/O=Vendor/CN=Vendor Device CA" vendor-root "$sub_ext"
mkcert device "/O=Vendor/serialNumber=SN-0001/CN=Device 0001" vendor-ca "$ee_ext"
mkcert op-root "/O=Operator/CN=Operator Root CA" self "$ca_ext"
mkcert op-ca "/O=Operator/CN=Operator Issuing CA" op-root "$sub_ext"
mkcert cmp-server "/O=Operator/CN=CMP Server" op-ca "$ee_ext"
mkcert rogue-root "/O=Rogue/CN=Rogue Root CA" self "$ca_ext"
mkcert rogue-device "/O=Vendor/serialNumber=SN-0001/CN=Device 0001" rogue-root "$ee_ext"
openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out device-rsa.key 2>/dev/null
rm -f ./*.srl
