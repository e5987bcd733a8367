#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
#
# tests/data/crypto/make.sh: regenerates every fixture of the crypto tests
# with OpenSSL (3.0 or later). Run it from this directory:  ./make.sh
# Keys are random, so a run changes every file; the tests only rely on the
# relations between them (which key signed what), never on fixed values.
# Validity dates are fixed, far in the past and future, so nothing rots:
# the tests validate at 2030-01-01T00:00:00Z.
set -euo pipefail
cd "$(dirname "$0")"

PASS=cmpstack-test            # pass phrase of the encrypted keys
SECRET=cmpstack-pbm-secret    # the PBM shared secret of the openssl cmp runs
OSSL=${OPENSSL:-openssl}

rm -rf keys sig certs pbm
mkdir -p keys sig certs pbm
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# ---- keys ------------------------------------------------------------------
gen() { # gen NAME genpkey-args...
    local n=$1; shift
    $OSSL genpkey "$@" -out "keys/$n.p8.pem" 2>/dev/null
    $OSSL pkey -in "keys/$n.p8.pem" -outform DER -out "keys/$n.p8.der"
    $OSSL pkey -in "keys/$n.p8.pem" -pubout -outform DER -out "keys/$n.spki.der"
    $OSSL pkcs8 -topk8 -in "keys/$n.p8.pem" -v2 aes-256-cbc -passout "pass:$PASS" \
        -out "keys/$n.enc.pem"
    $OSSL pkcs8 -topk8 -in "keys/$n.p8.pem" -v2 aes-128-cbc -passout "pass:$PASS" \
        -outform DER -out "keys/$n.enc.der"
}
gen rsa2048 -algorithm RSA -pkeyopt rsa_keygen_bits:2048
gen ec256 -algorithm EC -pkeyopt ec_paramgen_curve:P-256
gen ec384 -algorithm EC -pkeyopt ec_paramgen_curve:P-384
gen ec521 -algorithm EC -pkeyopt ec_paramgen_curve:P-521
gen ed25519 -algorithm ED25519
# traditional forms: PEM, DER, and RFC 1421 encrypted PEM (DEK-Info)
for n in rsa2048 ec256 ec384 ec521; do
    kind=rsa; case $n in ec*) kind=ec ;; esac
    $OSSL $kind -in "keys/$n.p8.pem" -traditional -out "keys/$n.pem" 2>/dev/null \
        || $OSSL $kind -in "keys/$n.p8.pem" -out "keys/$n.pem" 2>/dev/null
    $OSSL $kind -in "keys/$n.p8.pem" -traditional -outform DER -out "keys/$n.der" 2>/dev/null \
        || $OSSL $kind -in "keys/$n.p8.pem" -outform DER -out "keys/$n.der" 2>/dev/null
    $OSSL $kind -in "keys/$n.p8.pem" -traditional -aes128 -passout "pass:$PASS" \
        -out "keys/$n.trad-enc.pem" 2>/dev/null \
        || $OSSL $kind -in "keys/$n.p8.pem" -aes128 -passout "pass:$PASS" \
        -out "keys/$n.trad-enc.pem" 2>/dev/null
done
# "openssl ecparam -genkey" style: EC PARAMETERS block before the key
$OSSL ecparam -name prime256v1 -genkey -out keys/ec256-params.pem
# unsupported types and sizes
$OSSL genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:1024 -out keys/rsa1024.p8.pem 2>/dev/null
$OSSL pkey -in keys/rsa1024.p8.pem -pubout -outform DER -out keys/rsa1024.spki.der
$OSSL genpkey -algorithm ED448 -out keys/ed448.p8.pem
$OSSL genpkey -algorithm X25519 -out keys/x25519.p8.pem
$OSSL genpkey -algorithm EC -pkeyopt ec_paramgen_curve:secp256k1 -out keys/secp256k1.p8.pem
$OSSL ec -in keys/secp256k1.p8.pem -out keys/secp256k1.pem 2>/dev/null
$OSSL genpkey -genparam -algorithm DSA -pkeyopt dsa_paramgen_bits:2048 -out "$tmp/dsa.par"
$OSSL genpkey -paramfile "$tmp/dsa.par" -out keys/dsa2048.p8.pem
$OSSL dsa -in keys/dsa2048.p8.pem -out keys/dsa2048.pem 2>/dev/null
# a truncated key
head -c 600 keys/rsa2048.p8.pem > keys/rsa2048-truncated.pem
head -c 300 keys/rsa2048.p8.der > keys/rsa2048-truncated.der

# ---- signatures made by OpenSSL over sig/data.bin --------------------------
printf 'ProtectedPart stand-in: the bytes a CMP message signs.\n' > sig/data.bin
$OSSL dgst -sha256 -sign keys/rsa2048.pem -out sig/rsa2048.sha256.sig sig/data.bin
$OSSL dgst -sha512 -sign keys/rsa2048.pem -out sig/rsa2048.sha512.sig sig/data.bin
$OSSL dgst -sha256 -sign keys/rsa2048.pem -sigopt rsa_padding_mode:pss \
    -sigopt rsa_pss_saltlen:32 -sigopt rsa_mgf1_md:sha256 -out sig/rsa2048.pss256.sig sig/data.bin
$OSSL dgst -sha384 -sign keys/rsa2048.pem -sigopt rsa_padding_mode:pss \
    -sigopt rsa_pss_saltlen:48 -sigopt rsa_mgf1_md:sha384 -out sig/rsa2048.pss384.sig sig/data.bin
$OSSL dgst -sha256 -sign keys/ec256.pem -out sig/ec256.sha256.sig sig/data.bin
$OSSL dgst -sha384 -sign keys/ec384.pem -out sig/ec384.sha384.sig sig/data.bin
$OSSL dgst -sha512 -sign keys/ec521.pem -out sig/ec521.sha512.sig sig/data.bin
$OSSL pkeyutl -sign -rawin -inkey keys/ed25519.p8.pem -in sig/data.bin -out sig/ed25519.sig

# ---- certificates ----------------------------------------------------------
# A small "openssl ca" setup so that validity dates can be fixed.
cat > "$tmp/ca.cnf" <<'CNF'
[ca]
default_ca = ca_any
[ca_any]
dir = .
database = $ENV::CA_DB
new_certs_dir = $ENV::CA_NEW
serial = $ENV::CA_SERIAL
policy = policy_any
default_md = sha256
unique_subject = no
copy_extensions = none
[policy_any]
commonName = supplied
organizationName = optional
[root]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
[int]
basicConstraints = critical, CA:TRUE, pathlen:0
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[int_nolimit]
basicConstraints = critical, CA:TRUE
keyUsage = critical, keyCertSign, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[int_noca]
basicConstraints = critical, CA:FALSE
keyUsage = critical, digitalSignature, keyCertSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[int_nocertsign]
basicConstraints = critical, CA:TRUE
keyUsage = critical, digitalSignature, cRLSign
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[leaf]
basicConstraints = CA:FALSE
keyUsage = critical, digitalSignature
extendedKeyUsage = clientAuth, 1.3.6.1.5.5.7.3.28
subjectAltName = DNS:device.example, IP:192.0.2.1, URI:urn:example:device, email:dev@example.com
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[leaf_nods]
basicConstraints = CA:FALSE
keyUsage = critical, keyEncipherment
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
[leaf_critext]
basicConstraints = CA:FALSE
keyUsage = critical, digitalSignature
1.3.6.1.4.1.99999.1 = critical, ASN1:NULL
subjectKeyIdentifier = hash
authorityKeyIdentifier = keyid
CNF
export CA_DB="$tmp/index.txt" CA_NEW="$tmp" CA_SERIAL="$tmp/serial"
: > "$CA_DB"
echo 1000 > "$CA_SERIAL"

sign() { # sign OUT CSR-KEY SUBJECT ISSUER-CERT ISSUER-KEY EXT START END [extra ca args]
    local out=$1 key=$2 subj=$3 icert=$4 ikey=$5 ext=$6 start=$7 end=$8
    shift 8
    $OSSL req -new -key "$key" -subj "$subj" -out "$tmp/req.pem"
    if [ "$icert" = self ]; then
        $OSSL ca -batch -config "$tmp/ca.cnf" -selfsign -keyfile "$key" -in "$tmp/req.pem" \
            -extfile "$tmp/ca.cnf" -extensions "$ext" -startdate "$start" -enddate "$end" \
            -notext -out "$tmp/out.pem" "$@" 2>/dev/null
    else
        $OSSL ca -batch -config "$tmp/ca.cnf" -cert "$icert" -keyfile "$ikey" -in "$tmp/req.pem" \
            -extfile "$tmp/ca.cnf" -extensions "$ext" -startdate "$start" -enddate "$end" \
            -notext -out "$tmp/out.pem" "$@" 2>/dev/null
    fi
    $OSSL x509 -in "$tmp/out.pem" -outform DER -out "certs/$out.der"
    $OSSL x509 -in "$tmp/out.pem" -out "$tmp/$out.pem"
}

K=keys
FAR=20991231235959Z
OLD=20000101000000Z
# root (RSA, sha256WithRSAEncryption) -> int (P-384, signed by the root with
# RSASSA-PSS) -> leaf (P-256, ecdsa-with-SHA384); an Ed25519 leaf under int.
sign root $K/rsa2048.pem "/CN=cmpstack test root" self - root $OLD $FAR
sign int $K/ec384.pem "/CN=cmpstack test int" "$tmp/root.pem" $K/rsa2048.pem int $OLD $FAR \
    -sigopt rsa_padding_mode:pss -sigopt rsa_pss_saltlen:32 -sigopt rsa_mgf1_md:sha256
sign leaf $K/ec256.pem "/CN=cmpstack test leaf" "$tmp/int.pem" $K/ec384.pem leaf \
    20010101000000Z 20981231235959Z -md sha384
sign leaf-ed25519 $K/ed25519.p8.pem "/CN=cmpstack ed25519 leaf" "$tmp/int.pem" $K/ec384.pem \
    leaf $OLD $FAR -md sha256
sign leaf-rsa $K/rsa2048.pem "/CN=cmpstack rsa leaf" "$tmp/int.pem" $K/ec384.pem leaf \
    $OLD $FAR -md sha512
sign leaf-expired $K/ec256.pem "/CN=cmpstack expired leaf" "$tmp/int.pem" $K/ec384.pem leaf \
    $OLD 20101231235959Z
sign leaf-future $K/ec256.pem "/CN=cmpstack future leaf" "$tmp/int.pem" $K/ec384.pem leaf \
    20900101000000Z $FAR
sign leaf-nods $K/ec256.pem "/CN=cmpstack leaf without DS" "$tmp/int.pem" $K/ec384.pem \
    leaf_nods $OLD $FAR
sign leaf-critext $K/ec256.pem "/CN=cmpstack leaf critext" "$tmp/int.pem" $K/ec384.pem \
    leaf_critext $OLD $FAR
# an intermediate that expired, and a leaf under it
sign int-expired $K/ec521.pem "/CN=cmpstack expired int" "$tmp/root.pem" $K/rsa2048.pem int \
    $OLD 20101231235959Z
sign leaf-under-expired $K/ec256.pem "/CN=cmpstack leaf u expired" "$tmp/int-expired.pem" \
    $K/ec521.pem leaf $OLD $FAR -md sha512
# an "intermediate" without cA, and a leaf it signed
sign int-noca $K/ec521.pem "/CN=cmpstack int without CA" "$tmp/root.pem" $K/rsa2048.pem \
    int_noca $OLD $FAR
sign leaf-under-noca $K/ec256.pem "/CN=cmpstack leaf u noca" "$tmp/int-noca.pem" $K/ec521.pem \
    leaf $OLD $FAR -md sha512
# a CA without keyCertSign, and a leaf it signed
sign int-nocertsign $K/ec521.pem "/CN=cmpstack int without certsign" "$tmp/root.pem" \
    $K/rsa2048.pem int_nocertsign $OLD $FAR
sign leaf-under-nocertsign $K/ec256.pem "/CN=cmpstack leaf u nocertsign" \
    "$tmp/int-nocertsign.pem" $K/ec521.pem leaf $OLD $FAR -md sha512
# path too long: int has pathlen:0, int2 (a CA) below it, leaf below int2
sign int2 $K/ec521.pem "/CN=cmpstack test int2" "$tmp/int.pem" $K/ec384.pem int_nolimit $OLD $FAR
sign leaf-deep $K/ec256.pem "/CN=cmpstack deep leaf" "$tmp/int2.pem" $K/ec521.pem leaf $OLD $FAR
# another PKI: same intermediate name, other root key -> the leaf's issuer
# name matches but the signature does not
sign other-root $K/ec521.pem "/CN=cmpstack other root" self - root $OLD $FAR
sign other-leaf $K/ec256.pem "/CN=cmpstack other leaf" "$tmp/other-root.pem" $K/ec521.pem \
    leaf $OLD $FAR -md sha512
# an Ed25519 root signing an RSA leaf (signatureAlgorithm id-Ed25519)
sign ed-root $K/ed25519.p8.pem "/CN=cmpstack ed25519 root" self - root $OLD $FAR -md default
sign leaf-under-ed $K/rsa2048.pem "/CN=cmpstack leaf u ed25519" "$tmp/ed-root.pem" \
    $K/ed25519.p8.pem leaf $OLD $FAR -md default
$OSSL x509 -in "$tmp/root.pem" -out certs/root.pem
# PKCS#10 requests made by openssl req, with an extensionRequest
$OSSL req -new -key keys/ec256.pem -subj "/CN=csr ec256" -addext "subjectAltName=DNS:csr.example" \
    -outform DER -out certs/req-ec256.der
$OSSL req -new -key keys/rsa2048.pem -subj "/CN=csr rsa-pss" -sigopt rsa_padding_mode:pss \
    -sigopt rsa_pss_saltlen:32 -addext "keyUsage=critical,digitalSignature" \
    -outform DER -out certs/req-rsa-pss.der
$OSSL req -new -key keys/ed25519.p8.pem -subj "/CN=csr ed25519" \
    -addext "extendedKeyUsage=clientAuth" -outform DER -out certs/req-ed25519.der

# ---- PBM-protected messages from openssl cmp's mock server -----------------
# ir/ip/certConf/pkiConf, protected with PasswordBasedMac under $SECRET:
#   pbm-default-*: OpenSSL's defaults (owf sha256, 500 iterations, hmac-sha1)
#   pbm-sha512-*:  -digest sha512 -mac hmacWithSHA256
$OSSL req -new -key keys/ec256.pem -subj /CN=cmp-test -out "$tmp/ee.csr"
$OSSL x509 -req -in "$tmp/ee.csr" -CA "$tmp/int.pem" -CAkey keys/ec384.pem -days 36500 \
    -set_serial 7 -out pbm/ee.crt 2>/dev/null
cmp_run() { # cmp_run NAME extra-args...
    local n=$1; shift
    $OSSL cmp -cmd ir -use_mock_srv -srv_secret "pass:$SECRET" -srv_ref mock-srv \
        -rsp_cert pbm/ee.crt -secret "pass:$SECRET" -ref cmp-client \
        -newkey keys/ec256.pem -subject /CN=cmp-test -recipient "/CN=cmpstack test int" \
        -certout "$tmp/new.crt" -reqout "pbm/$n-ir.der,pbm/$n-certconf.der" \
        -rspout "pbm/$n-ip.der,pbm/$n-pkiconf.der" "$@" >/dev/null 2>&1
}
cmp_run pbm-default
cmp_run pbm-sha512 -digest sha512 -mac hmacWithSHA256
# ---- PBMAC1 known answers, computed with openssl kdf + openssl mac ---------
# One line per vector: iterations keyLength prf-digest mac-digest salt(hex)
# secret data(hex) expected-MAC(hex). The data is sig/data.bin.
pbmac1_kat() { # pbmac1_kat ITER KEYLEN PRF MAC SALT SECRET
    local key mac
    key=$($OSSL kdf -keylen "$2" -kdfopt "digest:$3" -kdfopt "pass:$6" -kdfopt "hexsalt:$5" \
        -kdfopt "iter:$1" PBKDF2 | tr -d ':\n')
    mac=$($OSSL mac -digest "$4" -macopt "hexkey:$key" -in sig/data.bin HMAC | tr -d '\n')
    echo "$1 $2 $3 $4 $5 $6 $(od -An -tx1 -v sig/data.bin | tr -d ' \n') $mac"
}
{
    pbmac1_kat 10000 32 SHA256 SHA256 000102030405060708090a0b0c0d0e0f "$SECRET"
    pbmac1_kat 1000 64 SHA512 SHA512 a0a1a2a3a4a5a6a7 "$SECRET"
    pbmac1_kat 4096 32 SHA384 SHA256 5f5e5d5c5b5a59585756555453525150 short
    pbmac1_kat 100 48 SHA224 SHA384 0102030405060708090a0b0c0d0e0f101112131415161718 longer.secret-with_punctuation
} > pbm/pbmac1-kat.txt
echo "fixtures written"
