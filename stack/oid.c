/* SPDX-License-Identifier: Apache-2.0 */
/*
 * stack/oid.c: the one table of object identifiers the stack names, and
 * conversions between content bytes and dotted decimal. Lookups compare
 * content bytes against the const table (STYLE.md section 6); a name that
 * is not in the table is printed as dotted decimal, never guessed.
 *
 * The dotted column documents each entry; a unit test checks that it
 * encodes to the bytes beside it. Sources: RFC 9810 Appendix F (id-it),
 * RFC 9481 (CMP algorithms), RFC 5280 (extensions, key purposes), RFC 4211
 * (registration controls), RFC 8410 (EdDSA), RFC 5480 (curves), RFC 9814
 * and FIPS 204 (ML-DSA).
 */
#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "cmp/oid.h"
#include "err_int.h"

typedef struct oid_entry {
    int kind;
    const char *name;
    const char *dotted;
    size_t len;
    const char *der;
} oid_entry;

static const oid_entry oid_table[] = {
    {CMP_OIDK_SIG, "sha1WithRSAEncryption", "1.2.840.113549.1.1.5", 9, "\x2a\x86\x48\x86\xf7\x0d\x01\x01\x05"},
    {CMP_OIDK_SIG, "sha224WithRSAEncryption", "1.2.840.113549.1.1.14", 9, "\x2a\x86\x48\x86\xf7\x0d\x01\x01\x0e"},
    {CMP_OIDK_SIG, "sha256WithRSAEncryption", "1.2.840.113549.1.1.11", 9, "\x2a\x86\x48\x86\xf7\x0d\x01\x01\x0b"},
    {CMP_OIDK_SIG, "sha384WithRSAEncryption", "1.2.840.113549.1.1.12", 9, "\x2a\x86\x48\x86\xf7\x0d\x01\x01\x0c"},
    {CMP_OIDK_SIG, "sha512WithRSAEncryption", "1.2.840.113549.1.1.13", 9, "\x2a\x86\x48\x86\xf7\x0d\x01\x01\x0d"},
    {CMP_OIDK_SIG, "RSASSA-PSS", "1.2.840.113549.1.1.10", 9, "\x2a\x86\x48\x86\xf7\x0d\x01\x01\x0a"},
    {CMP_OIDK_SIG, "ecdsa-with-SHA1", "1.2.840.10045.4.1", 7, "\x2a\x86\x48\xce\x3d\x04\x01"},
    {CMP_OIDK_SIG, "ecdsa-with-SHA224", "1.2.840.10045.4.3.1", 8, "\x2a\x86\x48\xce\x3d\x04\x03\x01"},
    {CMP_OIDK_SIG, "ecdsa-with-SHA256", "1.2.840.10045.4.3.2", 8, "\x2a\x86\x48\xce\x3d\x04\x03\x02"},
    {CMP_OIDK_SIG, "ecdsa-with-SHA384", "1.2.840.10045.4.3.3", 8, "\x2a\x86\x48\xce\x3d\x04\x03\x03"},
    {CMP_OIDK_SIG, "ecdsa-with-SHA512", "1.2.840.10045.4.3.4", 8, "\x2a\x86\x48\xce\x3d\x04\x03\x04"},
    {CMP_OIDK_SIG, "Ed25519", "1.3.101.112", 3, "\x2b\x65\x70"},
    {CMP_OIDK_SIG, "Ed448", "1.3.101.113", 3, "\x2b\x65\x71"},
    {CMP_OIDK_SIG, "ML-DSA-44", "2.16.840.1.101.3.4.3.17", 9, "\x60\x86\x48\x01\x65\x03\x04\x03\x11"},
    {CMP_OIDK_SIG, "ML-DSA-65", "2.16.840.1.101.3.4.3.18", 9, "\x60\x86\x48\x01\x65\x03\x04\x03\x12"},
    {CMP_OIDK_SIG, "ML-DSA-87", "2.16.840.1.101.3.4.3.19", 9, "\x60\x86\x48\x01\x65\x03\x04\x03\x13"},
    {CMP_OIDK_KEY, "rsaEncryption", "1.2.840.113549.1.1.1", 9, "\x2a\x86\x48\x86\xf7\x0d\x01\x01\x01"},
    {CMP_OIDK_KEY, "id-ecPublicKey", "1.2.840.10045.2.1", 7, "\x2a\x86\x48\xce\x3d\x02\x01"},
    {CMP_OIDK_KEY, "X25519", "1.3.101.110", 3, "\x2b\x65\x6e"},
    {CMP_OIDK_KEY, "X448", "1.3.101.111", 3, "\x2b\x65\x6f"},
    {CMP_OIDK_CURVE, "prime256v1", "1.2.840.10045.3.1.7", 8, "\x2a\x86\x48\xce\x3d\x03\x01\x07"},
    {CMP_OIDK_CURVE, "secp224r1", "1.3.132.0.33", 5, "\x2b\x81\x04\x00\x21"},
    {CMP_OIDK_CURVE, "secp384r1", "1.3.132.0.34", 5, "\x2b\x81\x04\x00\x22"},
    {CMP_OIDK_CURVE, "secp521r1", "1.3.132.0.35", 5, "\x2b\x81\x04\x00\x23"},
    {CMP_OIDK_CURVE, "secp256k1", "1.3.132.0.10", 5, "\x2b\x81\x04\x00\x0a"},
    {CMP_OIDK_CURVE, "brainpoolP256r1", "1.3.36.3.3.2.8.1.1.7", 9, "\x2b\x24\x03\x03\x02\x08\x01\x01\x07"},
    {CMP_OIDK_CURVE, "brainpoolP384r1", "1.3.36.3.3.2.8.1.1.11", 9, "\x2b\x24\x03\x03\x02\x08\x01\x01\x0b"},
    {CMP_OIDK_CURVE, "brainpoolP512r1", "1.3.36.3.3.2.8.1.1.13", 9, "\x2b\x24\x03\x03\x02\x08\x01\x01\x0d"},
    {CMP_OIDK_MAC, "PasswordBasedMac", "1.2.840.113533.7.66.13", 9, "\x2a\x86\x48\x86\xf6\x7d\x07\x42\x0d"},
    {CMP_OIDK_MAC, "DHBasedMac", "1.2.840.113533.7.66.30", 9, "\x2a\x86\x48\x86\xf6\x7d\x07\x42\x1e"},
    {CMP_OIDK_MAC, "PBMAC1", "1.2.840.113549.1.5.14", 9, "\x2a\x86\x48\x86\xf7\x0d\x01\x05\x0e"},
    {CMP_OIDK_MAC, "PBKDF2", "1.2.840.113549.1.5.12", 9, "\x2a\x86\x48\x86\xf7\x0d\x01\x05\x0c"},
    {CMP_OIDK_MAC, "hmacWithSHA1", "1.2.840.113549.2.7", 8, "\x2a\x86\x48\x86\xf7\x0d\x02\x07"},
    {CMP_OIDK_MAC, "hmacWithSHA224", "1.2.840.113549.2.8", 8, "\x2a\x86\x48\x86\xf7\x0d\x02\x08"},
    {CMP_OIDK_MAC, "hmacWithSHA256", "1.2.840.113549.2.9", 8, "\x2a\x86\x48\x86\xf7\x0d\x02\x09"},
    {CMP_OIDK_MAC, "hmacWithSHA384", "1.2.840.113549.2.10", 8, "\x2a\x86\x48\x86\xf7\x0d\x02\x0a"},
    {CMP_OIDK_MAC, "hmacWithSHA512", "1.2.840.113549.2.11", 8, "\x2a\x86\x48\x86\xf7\x0d\x02\x0b"},
    {CMP_OIDK_MAC, "hmac-sha1", "1.3.6.1.5.5.8.1.2", 8, "\x2b\x06\x01\x05\x05\x08\x01\x02"},
    {CMP_OIDK_MAC, "KMAC128", "2.16.840.1.101.3.4.2.19", 9, "\x60\x86\x48\x01\x65\x03\x04\x02\x13"},
    {CMP_OIDK_MAC, "KMAC256", "2.16.840.1.101.3.4.2.20", 9, "\x60\x86\x48\x01\x65\x03\x04\x02\x14"},
    {CMP_OIDK_HASH, "sha1", "1.3.14.3.2.26", 5, "\x2b\x0e\x03\x02\x1a"},
    {CMP_OIDK_HASH, "sha224", "2.16.840.1.101.3.4.2.4", 9, "\x60\x86\x48\x01\x65\x03\x04\x02\x04"},
    {CMP_OIDK_HASH, "sha256", "2.16.840.1.101.3.4.2.1", 9, "\x60\x86\x48\x01\x65\x03\x04\x02\x01"},
    {CMP_OIDK_HASH, "sha384", "2.16.840.1.101.3.4.2.2", 9, "\x60\x86\x48\x01\x65\x03\x04\x02\x02"},
    {CMP_OIDK_HASH, "sha512", "2.16.840.1.101.3.4.2.3", 9, "\x60\x86\x48\x01\x65\x03\x04\x02\x03"},
    {CMP_OIDK_HASH, "shake128", "2.16.840.1.101.3.4.2.11", 9, "\x60\x86\x48\x01\x65\x03\x04\x02\x0b"},
    {CMP_OIDK_HASH, "shake256", "2.16.840.1.101.3.4.2.12", 9, "\x60\x86\x48\x01\x65\x03\x04\x02\x0c"},
    {CMP_OIDK_EXT, "subjectKeyIdentifier", "2.5.29.14", 3, "\x55\x1d\x0e"},
    {CMP_OIDK_EXT, "keyUsage", "2.5.29.15", 3, "\x55\x1d\x0f"},
    {CMP_OIDK_EXT, "subjectAltName", "2.5.29.17", 3, "\x55\x1d\x11"},
    {CMP_OIDK_EXT, "issuerAltName", "2.5.29.18", 3, "\x55\x1d\x12"},
    {CMP_OIDK_EXT, "basicConstraints", "2.5.29.19", 3, "\x55\x1d\x13"},
    {CMP_OIDK_EXT, "cRLNumber", "2.5.29.20", 3, "\x55\x1d\x14"},
    {CMP_OIDK_EXT, "cRLReason", "2.5.29.21", 3, "\x55\x1d\x15"},
    {CMP_OIDK_EXT, "invalidityDate", "2.5.29.24", 3, "\x55\x1d\x18"},
    {CMP_OIDK_EXT, "nameConstraints", "2.5.29.30", 3, "\x55\x1d\x1e"},
    {CMP_OIDK_EXT, "cRLDistributionPoints", "2.5.29.31", 3, "\x55\x1d\x1f"},
    {CMP_OIDK_EXT, "certificatePolicies", "2.5.29.32", 3, "\x55\x1d\x20"},
    {CMP_OIDK_EXT, "authorityKeyIdentifier", "2.5.29.35", 3, "\x55\x1d\x23"},
    {CMP_OIDK_EXT, "extKeyUsage", "2.5.29.37", 3, "\x55\x1d\x25"},
    {CMP_OIDK_EXT, "authorityInfoAccess", "1.3.6.1.5.5.7.1.1", 8, "\x2b\x06\x01\x05\x05\x07\x01\x01"},
    {CMP_OIDK_EKU, "anyExtendedKeyUsage", "2.5.29.37.0", 4, "\x55\x1d\x25\x00"},
    {CMP_OIDK_EKU, "serverAuth", "1.3.6.1.5.5.7.3.1", 8, "\x2b\x06\x01\x05\x05\x07\x03\x01"},
    {CMP_OIDK_EKU, "clientAuth", "1.3.6.1.5.5.7.3.2", 8, "\x2b\x06\x01\x05\x05\x07\x03\x02"},
    {CMP_OIDK_EKU, "codeSigning", "1.3.6.1.5.5.7.3.3", 8, "\x2b\x06\x01\x05\x05\x07\x03\x03"},
    {CMP_OIDK_EKU, "emailProtection", "1.3.6.1.5.5.7.3.4", 8, "\x2b\x06\x01\x05\x05\x07\x03\x04"},
    {CMP_OIDK_EKU, "timeStamping", "1.3.6.1.5.5.7.3.8", 8, "\x2b\x06\x01\x05\x05\x07\x03\x08"},
    {CMP_OIDK_EKU, "OCSPSigning", "1.3.6.1.5.5.7.3.9", 8, "\x2b\x06\x01\x05\x05\x07\x03\x09"},
    {CMP_OIDK_EKU, "cmcCA", "1.3.6.1.5.5.7.3.27", 8, "\x2b\x06\x01\x05\x05\x07\x03\x1b"},
    {CMP_OIDK_EKU, "cmcRA", "1.3.6.1.5.5.7.3.28", 8, "\x2b\x06\x01\x05\x05\x07\x03\x1c"},
    {CMP_OIDK_EKU, "cmKGA", "1.3.6.1.5.5.7.3.32", 8, "\x2b\x06\x01\x05\x05\x07\x03\x20"},
    {CMP_OIDK_REGCTRL, "regToken", "1.3.6.1.5.5.7.5.1.1", 9, "\x2b\x06\x01\x05\x05\x07\x05\x01\x01"},
    {CMP_OIDK_REGCTRL, "authenticator", "1.3.6.1.5.5.7.5.1.2", 9, "\x2b\x06\x01\x05\x05\x07\x05\x01\x02"},
    {CMP_OIDK_REGCTRL, "pkiPublicationInfo", "1.3.6.1.5.5.7.5.1.3", 9, "\x2b\x06\x01\x05\x05\x07\x05\x01\x03"},
    {CMP_OIDK_REGCTRL, "pkiArchiveOptions", "1.3.6.1.5.5.7.5.1.4", 9, "\x2b\x06\x01\x05\x05\x07\x05\x01\x04"},
    {CMP_OIDK_REGCTRL, "oldCertID", "1.3.6.1.5.5.7.5.1.5", 9, "\x2b\x06\x01\x05\x05\x07\x05\x01\x05"},
    {CMP_OIDK_REGCTRL, "protocolEncrKey", "1.3.6.1.5.5.7.5.1.6", 9, "\x2b\x06\x01\x05\x05\x07\x05\x01\x06"},
    {CMP_OIDK_REGCTRL, "utf8Pairs", "1.3.6.1.5.5.7.5.2.1", 9, "\x2b\x06\x01\x05\x05\x07\x05\x02\x01"},
    {CMP_OIDK_REGCTRL, "certReq", "1.3.6.1.5.5.7.5.2.2", 9, "\x2b\x06\x01\x05\x05\x07\x05\x02\x02"},
    {CMP_OIDK_INFOTYPE, "caProtEncCert", "1.3.6.1.5.5.7.4.1", 8, "\x2b\x06\x01\x05\x05\x07\x04\x01"},
    {CMP_OIDK_INFOTYPE, "signKeyPairTypes", "1.3.6.1.5.5.7.4.2", 8, "\x2b\x06\x01\x05\x05\x07\x04\x02"},
    {CMP_OIDK_INFOTYPE, "encKeyPairTypes", "1.3.6.1.5.5.7.4.3", 8, "\x2b\x06\x01\x05\x05\x07\x04\x03"},
    {CMP_OIDK_INFOTYPE, "preferredSymmAlg", "1.3.6.1.5.5.7.4.4", 8, "\x2b\x06\x01\x05\x05\x07\x04\x04"},
    {CMP_OIDK_INFOTYPE, "caKeyUpdateInfo", "1.3.6.1.5.5.7.4.5", 8, "\x2b\x06\x01\x05\x05\x07\x04\x05"},
    {CMP_OIDK_INFOTYPE, "currentCRL", "1.3.6.1.5.5.7.4.6", 8, "\x2b\x06\x01\x05\x05\x07\x04\x06"},
    {CMP_OIDK_INFOTYPE, "unsupportedOIDs", "1.3.6.1.5.5.7.4.7", 8, "\x2b\x06\x01\x05\x05\x07\x04\x07"},
    {CMP_OIDK_INFOTYPE, "keyPairParamReq", "1.3.6.1.5.5.7.4.10", 8, "\x2b\x06\x01\x05\x05\x07\x04\x0a"},
    {CMP_OIDK_INFOTYPE, "keyPairParamRep", "1.3.6.1.5.5.7.4.11", 8, "\x2b\x06\x01\x05\x05\x07\x04\x0b"},
    {CMP_OIDK_INFOTYPE, "revPassphrase", "1.3.6.1.5.5.7.4.12", 8, "\x2b\x06\x01\x05\x05\x07\x04\x0c"},
    {CMP_OIDK_INFOTYPE, "implicitConfirm", "1.3.6.1.5.5.7.4.13", 8, "\x2b\x06\x01\x05\x05\x07\x04\x0d"},
    {CMP_OIDK_INFOTYPE, "confirmWaitTime", "1.3.6.1.5.5.7.4.14", 8, "\x2b\x06\x01\x05\x05\x07\x04\x0e"},
    {CMP_OIDK_INFOTYPE, "origPKIMessage", "1.3.6.1.5.5.7.4.15", 8, "\x2b\x06\x01\x05\x05\x07\x04\x0f"},
    {CMP_OIDK_INFOTYPE, "suppLangTags", "1.3.6.1.5.5.7.4.16", 8, "\x2b\x06\x01\x05\x05\x07\x04\x10"},
    {CMP_OIDK_INFOTYPE, "caCerts", "1.3.6.1.5.5.7.4.17", 8, "\x2b\x06\x01\x05\x05\x07\x04\x11"},
    {CMP_OIDK_INFOTYPE, "rootCaKeyUpdate", "1.3.6.1.5.5.7.4.18", 8, "\x2b\x06\x01\x05\x05\x07\x04\x12"},
    {CMP_OIDK_INFOTYPE, "certReqTemplate", "1.3.6.1.5.5.7.4.19", 8, "\x2b\x06\x01\x05\x05\x07\x04\x13"},
    {CMP_OIDK_INFOTYPE, "rootCaCert", "1.3.6.1.5.5.7.4.20", 8, "\x2b\x06\x01\x05\x05\x07\x04\x14"},
    {CMP_OIDK_INFOTYPE, "certProfile", "1.3.6.1.5.5.7.4.21", 8, "\x2b\x06\x01\x05\x05\x07\x04\x15"},
    {CMP_OIDK_INFOTYPE, "crlStatusList", "1.3.6.1.5.5.7.4.22", 8, "\x2b\x06\x01\x05\x05\x07\x04\x16"},
    {CMP_OIDK_INFOTYPE, "crls", "1.3.6.1.5.5.7.4.23", 8, "\x2b\x06\x01\x05\x05\x07\x04\x17"},
    {CMP_OIDK_INFOTYPE, "kemCiphertextInfo", "1.3.6.1.5.5.7.4.24", 8, "\x2b\x06\x01\x05\x05\x07\x04\x18"},
};

#define NUM_OIDS (sizeof(oid_table) / sizeof(oid_table[0]))

static cmp_span entry_span(const oid_entry *e)
{
    cmp_span s;
    s.data = (const uint8_t *)e->der;
    s.len = e->len;
    return s;
}

static const oid_entry *find_oid(cmp_span oid)
{
    size_t i;

    for (i = 0; i < NUM_OIDS; i++) {
        if (cmp_oid_eq(entry_span(&oid_table[i]), oid)) {
            return &oid_table[i];
        }
    }
    return NULL;
}

/* see cmp/oid.h */
int cmp_oid_eq(cmp_span a, cmp_span b)
{
    if (a.len != b.len || a.len == 0) {
        return 0;
    }
    return memcmp(a.data, b.data, a.len) == 0;
}

/* see cmp/oid.h */
const char *cmp_oid_name(cmp_span oid)
{
    const oid_entry *e = find_oid(oid);

    return e != NULL ? e->name : NULL;
}

/* see cmp/oid.h */
int cmp_oid_kind_of(cmp_span oid)
{
    const oid_entry *e = find_oid(oid);

    return e != NULL ? e->kind : CMP_OIDK_ANY;
}

/* see cmp/oid.h */
cmp_err cmp_oid_by_name(int kind, const char *name, cmp_span *out)
{
    size_t i;

    CMP_ENSURE(name != NULL && out != NULL, CMP_ERR_ARG);
    for (i = 0; i < NUM_OIDS; i++) {
        const oid_entry *e = &oid_table[i];
        if ((kind == CMP_OIDK_ANY || e->kind == kind) && strcmp(e->name, name) == 0) {
            *out = entry_span(e);
            return CMP_OK;
        }
    }
    CMP_FAIL(CMP_ERR_ARG);
}

/*
 * X.690 8.19.2: each subidentifier is a series of octets, bit 8 set on all
 * but the last; "the leading octet of the subidentifier shall not have the
 * value 0x80" (it would be a non-minimal encoding).
 */
/* see cmp/oid.h */
int cmp_oid_valid(cmp_span oid)
{
    size_t i;
    int start = 1;

    if (oid.data == NULL || oid.len == 0) {
        return 0;
    }
    for (i = 0; i < oid.len; i++) {
        if (start && oid.data[i] == 0x80) {
            return 0;
        }
        start = (oid.data[i] & 0x80) == 0;
    }
    return start; /* the last octet ends a subidentifier */
}

/* Appends |s| to |out| at |*pos|, keeping room for the NUL. */
static cmp_err put_str(char *out, size_t out_len, size_t *pos, const char *s)
{
    size_t n = strlen(s);

    CMP_ENSURE(*pos <= out_len && n < out_len - *pos, CMP_ERR_BUF_SMALL);
    memcpy(out + *pos, s, n + 1);
    *pos += n;
    return CMP_OK;
}

static cmp_err put_u64(char *out, size_t out_len, size_t *pos, uint64_t v)
{
    char tmp[24];
    size_t i = sizeof(tmp) - 1;

    tmp[i] = '\0';
    do {
        tmp[--i] = (char)('0' + (int)(v % 10u));
        v /= 10u;
    } while (v != 0);
    return put_str(out, out_len, pos, tmp + i);
}

static cmp_err oid_to_string(char *out, size_t out_len, cmp_span oid)
{
    size_t i, pos = 0;
    uint64_t v = 0;
    int first = 1;

    CMP_ENSURE(cmp_oid_valid(oid), CMP_ERR_ARG);
    for (i = 0; i < oid.len; i++) {
        CMP_ENSURE(v <= (UINT64_MAX >> 7), CMP_ERR_ARG);
        v = (v << 7) | (uint64_t)(oid.data[i] & 0x7f);
        if (oid.data[i] & 0x80) {
            continue;
        }
        if (first) {
            /* X.690 8.19.4: the first subidentifier is X * 40 + Y. */
            uint64_t x = v < 40 ? 0 : (v < 80 ? 1 : 2);
            CMP_TRY(put_u64(out, out_len, &pos, x));
            CMP_TRY(put_str(out, out_len, &pos, "."));
            CMP_TRY(put_u64(out, out_len, &pos, v - x * 40));
            first = 0;
        } else {
            CMP_TRY(put_str(out, out_len, &pos, "."));
            CMP_TRY(put_u64(out, out_len, &pos, v));
        }
        v = 0;
    }
    return CMP_OK;
}

/* see cmp/oid.h */
cmp_err cmp_oid_to_string(char *out, size_t out_len, cmp_span oid)
{
    cmp_err err;

    CMP_ENSURE(out != NULL && out_len > 0, CMP_ERR_ARG);
    out[0] = '\0';
    err = oid_to_string(out, out_len, oid);
    if (err != CMP_OK) {
        out[0] = '\0'; /* nothing half-written */
    }
    return err;
}

/* Appends subidentifier |v| in base 128 to |out|. */
static cmp_err put_subid(uint8_t *out, size_t out_cap, size_t *pos, uint64_t v)
{
    uint8_t tmp[10];
    size_t n = 0, i;

    do {
        tmp[n++] = (uint8_t)(v & 0x7f);
        v >>= 7;
    } while (v != 0);
    CMP_ENSURE(*pos <= out_cap && n <= out_cap - *pos, CMP_ERR_BUF_SMALL);
    for (i = 0; i < n; i++) {
        out[*pos + i] = (uint8_t)(tmp[n - 1 - i] | (i + 1 < n ? 0x80 : 0));
    }
    *pos += n;
    return CMP_OK;
}

/* Reads one decimal arc at |*s| (no sign, no leading zeros but "0"). */
static cmp_err get_arc(const char **s, uint64_t *out)
{
    const char *p = *s;
    uint64_t v = 0;

    CMP_ENSURE(*p >= '0' && *p <= '9', CMP_ERR_ARG);
    CMP_ENSURE(!(p[0] == '0' && p[1] >= '0' && p[1] <= '9'), CMP_ERR_ARG);
    while (*p >= '0' && *p <= '9') {
        uint64_t d = (uint64_t)(*p - '0');
        CMP_ENSURE(v <= (UINT64_MAX - d) / 10u, CMP_ERR_ARG);
        v = v * 10u + d;
        p++;
    }
    *s = p;
    *out = v;
    return CMP_OK;
}

/* see cmp/oid.h */
cmp_err cmp_oid_from_string(uint8_t *out, size_t out_cap, size_t *out_len, const char *dotted)
{
    const char *s = dotted;
    uint64_t x, y;
    size_t pos = 0;

    CMP_ENSURE(out != NULL && out_len != NULL && dotted != NULL, CMP_ERR_ARG);
    *out_len = 0;
    CMP_TRY(get_arc(&s, &x));
    CMP_ENSURE(*s++ == '.', CMP_ERR_ARG);
    CMP_TRY(get_arc(&s, &y));
    /* X.660: three roots; under 0 and 1 at most 40 arcs (X.690 8.19.4). */
    CMP_ENSURE(x <= 2 && (x == 2 || y < 40), CMP_ERR_ARG);
    CMP_ENSURE(y <= UINT64_MAX - 80, CMP_ERR_ARG);
    CMP_TRY(put_subid(out, out_cap, &pos, x * 40 + y));
    while (*s != '\0') {
        CMP_ENSURE(*s++ == '.', CMP_ERR_ARG);
        CMP_TRY(get_arc(&s, &y));
        CMP_TRY(put_subid(out, out_cap, &pos, y));
    }
    *out_len = pos;
    return CMP_OK;
}

/* see cmp/oid.h */
cmp_err cmp_infotype_by_name(const char *name, cmp_span *out)
{
    CMP_ENSURE(name != NULL && out != NULL, CMP_ERR_ARG);
    if (strncmp(name, "id-it-", 6) == 0) {
        name += 6;
    }
    if (cmp_oid_by_name(CMP_OIDK_INFOTYPE, name, out) != CMP_OK) {
        CMP_FAIL(CMP_ERR_UNKNOWN_INFOTYPE);
    }
    return CMP_OK;
}

/* see cmp/oid.h */
const char *cmp_infotype_name(cmp_span oid)
{
    const oid_entry *e = find_oid(oid);

    return e != NULL && e->kind == CMP_OIDK_INFOTYPE ? e->name : NULL;
}

/* see cmp/oid.h */
cmp_err cmp_infotype_oid(int arc, cmp_span *out)
{
    uint8_t want[CMP_OID_ID_IT_LEN + 1];
    cmp_span s;
    size_t i;

    CMP_ENSURE(out != NULL, CMP_ERR_ARG);
    CMP_ENSURE(arc > 0 && arc < 128, CMP_ERR_UNKNOWN_INFOTYPE);
    memcpy(want, CMP_OID_ID_IT, CMP_OID_ID_IT_LEN);
    want[CMP_OID_ID_IT_LEN] = (uint8_t)arc;
    s.data = want;
    s.len = sizeof(want);
    for (i = 0; i < NUM_OIDS; i++) {
        if (oid_table[i].kind == CMP_OIDK_INFOTYPE && cmp_oid_eq(entry_span(&oid_table[i]), s)) {
            *out = entry_span(&oid_table[i]);
            return CMP_OK;
        }
    }
    CMP_FAIL(CMP_ERR_UNKNOWN_INFOTYPE);
}

/* see cmp/oid.h */
size_t cmp_oid_count(void)
{
    return NUM_OIDS;
}

/* see cmp/oid.h */
cmp_err cmp_oid_at(size_t i, cmp_oid_info *out)
{
    CMP_ENSURE(out != NULL && i < NUM_OIDS, CMP_ERR_ARG);
    out->kind = oid_table[i].kind;
    out->name = oid_table[i].name;
    out->dotted = oid_table[i].dotted;
    out->oid = entry_span(&oid_table[i]);
    return CMP_OK;
}
