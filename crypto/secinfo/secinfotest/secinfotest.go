// Package secinfotest builds forged SecurityInfos files for tests: the
// EF.CardAccess a lying relay client or a tampered chip would present, which
// a check against the chip's signed DG14 must catch.
package secinfotest

import (
	"encoding/asn1"
	"slices"

	"github.com/cancuoc/cancuoc/crypto/secinfo"
)

// ExtraInfo returns SEQUENCE { OID 1.2.3.4, INTEGER 1 }: a SecurityInfo no
// chip's DG14 lists.
func ExtraInfo() *secinfo.UnknownInfo {
	return &secinfo.UnknownInfo{Protocol: asn1.ObjectIdentifier{1, 2, 3, 4}, Raw: []byte{0x30, 0x08, 0x06, 0x03, 0x2A, 0x03, 0x04, 0x02, 0x01, 0x01}}
}

// WithExtraInfo returns the SecurityInfos file (parsed as secinfo.Lenient
// does) encoded again with ExtraInfo added to its own infos.
func WithExtraInfo(file []byte) ([]byte, error) {
	infos, err := secinfo.Lenient.Parse(file)
	if err != nil {
		return nil, err
	}
	return (&secinfo.SecurityInfos{Infos: append(slices.Clone(infos.Infos), ExtraInfo())}).Encode()
}
