#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# tests/demo.sh BUILDDIR: the whole story on the built-in CA, in seconds.
#
#   1. a throwaway PKI: the vendor's root and CA, which signed the device's
#      supplier (factory) certificate; the operator's root and CA, and the
#      CMP server's certificate;
#   2. cmpserver on 127.0.0.1 (a free port), issuing from the operator CA,
#      trusting the vendor root for initial requests, and making the first
#      requests wait once (the device polls);
#   3. the device (cmpclient) gets its first operator certificate with an IR
#      authenticated by its supplier certificate, polling as it goes;
#   4. it renews key and certificate with a KUR, protected by the new
#      operator certificate;
#   5. it asks for the CA certificates with a genm;
#   6. openssl verify checks the final chain; the server is stopped by PID.
set -euo pipefail

build=${1:?usage: tests/demo.sh BUILDDIR}
build=$(cd "$build" && pwd)
bin="$build/tools"
work=$(mktemp -d "${TMPDIR:-/tmp}/cmpstack-demo.XXXXXX")
srv_pid=""

cleanup() {
    if [ -n "$srv_pid" ]; then
        kill "$srv_pid" 2>/dev/null || true
        wait "$srv_pid" 2>/dev/null || true
    fi
    rm -rf "$work"
}
trap cleanup EXIT

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
run() { printf '$ %s\n' "$*" | sed "s|$work/||g; s|$bin/||g"; "$@"; }

cd "$work"
start=$(date +%s)

step "1. A throwaway PKI (openssl)"
# mkcert NAME SUBJECT ISSUER(or self) EXT
mkcert() {
    local name=$1 subj=$2 issuer=$3 ext=$4
    openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$name.key" 2>/dev/null
    printf '%s\n' "[ext]" "$ext" > "$name.ext"
    if [ "$issuer" = self ]; then
        openssl req -new -x509 -key "$name.key" -subj "$subj" -days 3650 -sha256 \
            -extensions ext -config <(printf '[req]\ndistinguished_name=dn\n[dn]\n'; cat "$name.ext") \
            -out "$name.crt" 2>/dev/null
    else
        openssl req -new -key "$name.key" -subj "$subj" -out "$name.csr" 2>/dev/null
        openssl x509 -req -in "$name.csr" -CA "$issuer.crt" -CAkey "$issuer.key" \
            -CAcreateserial -days 3650 -sha256 -extfile "$name.ext" -extensions ext \
            -out "$name.crt" 2>/dev/null
    fi
    echo "   $name: $(openssl x509 -in "$name.crt" -noout -subject | sed 's/^subject=//')"
}
ca_ext="basicConstraints=critical,CA:TRUE
keyUsage=critical,keyCertSign,cRLSign
subjectKeyIdentifier=hash"
ee_ext="basicConstraints=critical,CA:FALSE
keyUsage=critical,digitalSignature
subjectKeyIdentifier=hash
authorityKeyIdentifier=keyid"
mkcert vendor-root "/O=Vendor/CN=Vendor Root CA" self "$ca_ext"
mkcert vendor-ca "/O=Vendor/CN=Vendor Device CA" vendor-root "$ca_ext
authorityKeyIdentifier=keyid"
mkcert supplier "/O=Vendor/serialNumber=SN-0001/CN=Device 0001" vendor-ca "$ee_ext"
mkcert op-root "/O=Operator/CN=Operator Root CA" self "$ca_ext"
mkcert op-ca "/O=Operator/CN=Operator Issuing CA" op-root "$ca_ext
authorityKeyIdentifier=keyid"
mkcert cmp-server "/O=Operator/CN=CMP Server" op-ca "$ee_ext"

step "2. cmpserver on 127.0.0.1; each request is answered with waiting once"
mkdir -p state
"$bin/cmpserver" -port 0 -state state \
    -ca_cert op-ca.crt -ca_key op-ca.key \
    -srv_cert cmp-server.crt -srv_key cmp-server.key -rsp_extracerts op-ca.crt \
    -srv_trusted vendor-root.crt -srv_trusted op-root.crt -srv_untrusted op-ca.crt \
    -rsp_capubs op-root.crt -poll_count 1 -check_after 1 -days 365 \
    >server.out 2>server.log &
srv_pid=$!
port=""
for _ in $(seq 1 100); do
    port=$(sed -n 's/.*listening on 127\.0\.0\.1:\([0-9]*\).*/\1/p' server.out | head -1)
    [ -n "$port" ] && break
    sleep 0.1
done
[ -n "$port" ] || { cat server.log; echo "demo: cmpserver did not start"; exit 1; }
echo "   cmpserver (pid $srv_pid) listening on 127.0.0.1:$port, state in state/"

step "3. IR: the device enrols with its supplier certificate (and polls)"
run "$bin/cmpclient" -cmd ir -server "127.0.0.1:$port" -path /.well-known/cmp \
    -cert supplier.crt -key supplier.key -untrusted vendor-ca.crt \
    -trusted op-root.crt -newkeytype ec:P-256 -newkeyout device.key \
    -subject "/O=Operator/CN=Device 0001" -sans "device-0001.example" \
    -certout device.crt -chainout device-chain.pem -verbosity 6
echo "   issued: $(openssl x509 -in device.crt -noout -subject -issuer -serial | paste -sd' ')"

step "4. KUR: the device renews key and certificate"
cp device.crt device-old.crt
run "$bin/cmpclient" -cmd kur -server "127.0.0.1:$port" -path /.well-known/cmp \
    -cert device.crt -key device.key -untrusted op-ca.crt -trusted op-root.crt \
    -newkeytype ec:P-256 -newkeyout device-new.key -certout device-new.crt \
    -verbosity 6
echo "   renewed: $(openssl x509 -in device-new.crt -noout -subject -serial | paste -sd' ')"

step "5. genm: the device asks for the CA certificates"
run "$bin/cmpclient" -cmd genm -infotype caCerts -server "127.0.0.1:$port" \
    -path /.well-known/cmp -cert device-new.crt -key device-new.key \
    -untrusted op-ca.crt -trusted op-root.crt -cacertsout cacerts.pem -verbosity 6
echo "   caCerts: $(grep -c 'BEGIN CERTIFICATE' cacerts.pem) certificate(s)"

step "6. openssl verify of the final chain"
run openssl verify -CAfile op-root.crt -untrusted op-ca.crt device-new.crt
cmp -s <(openssl x509 -in device-new.crt -noout -pubkey) \
       <(openssl pkey -in device-new.key -pubout) \
    && echo "   device-new.crt carries the public key of device-new.key"

step "server log"
sed 's/^/   /' server.log
kill "$srv_pid"
wait "$srv_pid" 2>/dev/null || true
srv_pid=""
echo
echo "demo: done in $(( $(date +%s) - start )) s"
