#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# tests/data/pki/make.sh: builds the throwaway test PKI of the client tests
# with openssl into tests/data/pki/client/ (see README); run it from anywhere.
# Everything is EC P-256 / SHA-256 with a fixed, long validity, so that the
# committed files stay valid for the life of the tests.
set -eu
out="$(cd "$(dirname "$0")" && pwd)/client"
mkdir -p "$out"
cd "$out"
DAYS=8000
umask 077

key() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1.key" 2>/dev/null; }

# ca NAME SUBJECT ISSUER  (ISSUER "-" = self-signed)
ca() {
    key "$1"
    cat > ext.cnf <<EOT
basicConstraints=critical,CA:TRUE
keyUsage=critical,keyCertSign,cRLSign
subjectKeyIdentifier=hash
authorityKeyIdentifier=keyid
EOT
    openssl req -new -key "$1.key" -subj "$2" -out "$1.csr"
    if [ "$3" = - ]; then
        grep -v authorityKeyIdentifier ext.cnf > ext-root.cnf
        openssl x509 -req -in "$1.csr" -signkey "$1.key" -set_serial "0x$(openssl rand -hex 8)" \
            -days $DAYS -sha256 -extfile ext-root.cnf -out "$1.crt" 2>/dev/null
        rm -f ext-root.cnf
    else
        openssl x509 -req -in "$1.csr" -CA "$3.crt" -CAkey "$3.key" -set_serial "0x$(openssl rand -hex 8)" \
            -days $DAYS -sha256 -extfile ext.cnf -out "$1.crt" 2>/dev/null
    fi
    rm -f "$1.csr"
}

# ee NAME SUBJECT ISSUER [KEYNAME]
ee() {
    k=${4:-$1}
    [ -f "$k.key" ] || key "$k"
    cat > ext.cnf <<EOT
basicConstraints=critical,CA:FALSE
keyUsage=critical,digitalSignature
subjectKeyIdentifier=hash
authorityKeyIdentifier=keyid
EOT
    openssl req -new -key "$k.key" -subj "$2" -out "$1.csr"
    openssl x509 -req -in "$1.csr" -CA "$3.crt" -CAkey "$3.key" -set_serial "0x$(openssl rand -hex 8)" \
        -days $DAYS -sha256 -extfile ext.cnf -out "$1.crt" 2>/dev/null
    rm -f "$1.csr"
}

rm -f ./*.crt ./*.key ./*.der ./*.csr
# The supplier's PKI: vendor root -> vendor CA -> the device's factory certificate.
ca vendor-root "/O=Vendor/CN=Vendor Root CA" -
ca vendor-ca "/O=Vendor/CN=Vendor Device CA" vendor-root
ee supplier "/O=Vendor/CN=Device 0001 factory" vendor-ca
# The operator's PKI: operator root -> operator CA -> the CMP server (RA/CA) certificate.
ca op-root "/O=Operator/CN=Operator Root CA" -
ca op-ca "/O=Operator/CN=Operator Device CA" op-root
ee server "/O=Operator/CN=CMP Server" op-ca
# Certificates that openssl cmp's mock server hands out (-rsp_cert), made in
# advance for keys the client then requests with -newkey: device.key for
# ir/cr/p10cr, device2.key for kur.
ee device "/O=Operator/CN=Device 0001" op-ca
ee device2 "/O=Operator/CN=Device 0001" op-ca
# A certificate for a key nobody requests (hostile: "certificate for another key").
ee other "/O=Operator/CN=Device 0001" op-ca
# A CSR for p10cr with device.key.
openssl req -new -key device.key -subj "/O=Operator/CN=Device 0001" -out device.csr
rm -f ext.cnf

# DER copies for the unit tests (which read no PEM).
for c in *.crt; do openssl x509 -in "$c" -outform DER -out "${c%.crt}.crt.der"; done
for k in *.key; do openssl pkey -in "$k" -outform DER -out "${k%.key}.key.der"; done
openssl req -in device.csr -outform DER -out device.csr.der
chmod 644 ./*
echo "test PKI made in $(pwd)"
