package secinfo

import (
	"bytes"
	"slices"

	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"

	"github.com/cancuoc/cancuoc/tlv"
)

// Encode returns the DER encoding of the SecurityInfos: each Info marshalled
// from its fields (an UnknownInfo as its Raw bytes), sorted into DER SET OF
// order. For input that Parse accepted strictly, Encode gives back the same
// bytes; for an unsorted input it gives the sorted equivalent.
func (s *SecurityInfos) Encode() ([]byte, error) {
	elems := make([][]byte, 0, len(s.Infos))
	size := 0
	for _, info := range s.Infos {
		e, err := info.Marshal()
		if err != nil {
			return nil, err
		}
		elems = append(elems, e)
		size += len(e)
	}
	// X.690 §11.6: the encodings compared as octet strings, the shorter
	// padded at its end with zeros; for complete TLVs this is
	// bytes.Compare.
	slices.SortStableFunc(elems, bytes.Compare)
	b := cryptobyte.NewBuilder(make([]byte, 0, size+8))
	b.AddASN1(cbasn1.SET, func(b *cryptobyte.Builder) {
		for _, e := range elems {
			b.AddBytes(e)
		}
	})
	return b.Bytes()
}

// EncodeDG14 returns the DG14 file: the DER SecurityInfos inside the '6E'
// template.
func (s *SecurityInfos) EncodeDG14() ([]byte, error) {
	set, err := s.Encode()
	if err != nil {
		return nil, err
	}
	return tlv.AppendTLV(make([]byte, 0, len(set)+6), TagDG14, set), nil
}
