package pkitest

import "encoding/asn1"

type asn1OID = asn1.ObjectIdentifier
