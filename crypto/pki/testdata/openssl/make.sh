#!/bin/sh
# Regenerates the openssl-made fixtures of this folder (OpenSSL 3). The
# output differs on each run (fresh keys, randomized ECDSA); the tests only
# rely on the files as committed.
set -eu
cd "$(dirname "$0")"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# CSCA: brainpoolP512r1 with explicit domain parameters, as Vietnam's CSCA.
openssl ecparam -name brainpoolP512r1 -param_enc explicit -genkey -noout -out "$tmp/csca.key"
openssl req -x509 -new -key "$tmp/csca.key" -sha512 -days 7300 -set_serial 1 \
  -subj "/C=VN/O=openssl fixture/CN=CSCA explicit bP512r1" \
  -addext "basicConstraints=critical,CA:TRUE,pathlen:0" \
  -addext "keyUsage=critical,keyCertSign,cRLSign" \
  -addext "subjectKeyIdentifier=hash" -out csca.pem

# Document signer: brainpoolP256r1 (named curve).
openssl ecparam -name brainpoolP256r1 -genkey -noout -out "$tmp/ds.key"
openssl req -new -key "$tmp/ds.key" -subj "/C=VN/O=openssl fixture/CN=DS bP256r1" -out "$tmp/ds.csr"
printf 'keyUsage=critical,digitalSignature\nauthorityKeyIdentifier=keyid\nsubjectKeyIdentifier=hash\n' > "$tmp/ds.ext"
openssl x509 -req -in "$tmp/ds.csr" -CA csca.pem -CAkey "$tmp/csca.key" -sha512 -set_serial 2 \
  -days 3650 -extfile "$tmp/ds.ext" -out ds.pem

# Data groups and their LDSSecurityObject (v0, SHA-256) written by hand
# with openssl asn1parse -genconf.
printf '\x61\x05\x5f\x1f\x02\x41\x42' > EF_DG1.bin
printf '\x75\x03\x01\x02\x03' > EF_DG2.bin
h1=$(openssl sha256 -r EF_DG1.bin | cut -c1-64)
h2=$(openssl sha256 -r EF_DG2.bin | cut -c1-64)
cat > "$tmp/lds.cnf" <<CNF
asn1=SEQUENCE:lds
[lds]
version=INTEGER:0
hash=SEQUENCE:sha256
hashes=SEQUENCE:dgs
[sha256]
oid=OID:2.16.840.1.101.3.4.2.1
[dgs]
dg1=SEQUENCE:dg1
dg2=SEQUENCE:dg2
[dg1]
n=INTEGER:1
h=FORMAT:HEX,OCTETSTRING:$h1
[dg2]
n=INTEGER:2
h=FORMAT:HEX,OCTETSTRING:$h2
CNF
openssl asn1parse -genconf "$tmp/lds.cnf" -out "$tmp/lds.der" -noout

# EF.SOD: CMS SignedData by the DS, wrapped in tag 77.
openssl cms -sign -nodetach -binary -outform DER -md sha256 -econtent_type 2.23.136.1.1.1 \
  -signer ds.pem -inkey "$tmp/ds.key" -in "$tmp/lds.der" -out "$tmp/sod.cms"
python3 -c '
import sys
b = open(sys.argv[1], "rb").read()
n = len(b)
l = bytes([n]) if n < 128 else (bytes([0x81, n]) if n < 256 else bytes([0x82, n >> 8, n & 255]))
open("EF_SOD.bin", "wb").write(b"\x77" + l + b)' "$tmp/sod.cms"

# A CRL of the CSCA revoking serial 3.
mkdir -p "$tmp/ca/newcerts"; : > "$tmp/ca/index.txt"; echo 01 > "$tmp/ca/crlnumber"
printf 'R\t301231000000Z\t250101000000Z\t03\tunknown\t/CN=revoked\n' > "$tmp/ca/index.txt"
cat > "$tmp/ca.cnf" <<CNF
[ca]
default_ca=d
[d]
database=$tmp/ca/index.txt
crlnumber=$tmp/ca/crlnumber
default_md=sha512
default_crl_days=30
crl_extensions=ext
[ext]
authorityKeyIdentifier=keyid
CNF
openssl ca -gencrl -config "$tmp/ca.cnf" -cert csca.pem -keyfile "$tmp/csca.key" -out csca.crl
