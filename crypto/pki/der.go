package pki

import (
	"bytes"
	"slices"
	"time"

	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"
)

// Size limits on inputs. Every parser checks its input against one of
// these before reading it, so hostile input cannot make the package do
// unbounded work.
const (
	MaxCertificateSize = 64 << 10  // one X.509 certificate
	MaxSODSize         = 256 << 10 // EF.SOD or any CMS SignedData but a master list
	MaxCRLSize         = 16 << 20  // one CRL
	MaxMasterListSize  = 16 << 20  // one CSCA master list
	MaxRSABits         = 16384     // largest RSA modulus accepted
)

// tagged returns the context-specific constructed tag [n].
func tagged(n uint8) cbasn1.Tag { return cbasn1.Tag(n).ContextSpecific().Constructed() }

// implicit returns the context-specific primitive tag [n].
func implicit(n uint8) cbasn1.Tag { return cbasn1.Tag(n).ContextSpecific() }

// readTime reads a UTCTime or GeneralizedTime.
func readTime(s *cryptobyte.String, t *time.Time) bool {
	switch {
	case s.PeekASN1Tag(cbasn1.UTCTime):
		return s.ReadASN1UTCTime(t)
	case s.PeekASN1Tag(cbasn1.GeneralizedTime):
		return s.ReadASN1GeneralizedTime(t)
	}
	return false
}

// addTime writes t as UTCTime up to 2049 and GeneralizedTime from 2050,
// as RFC 5280 §4.1.2.5 requires.
func addTime(b *cryptobyte.Builder, t time.Time) {
	t = t.UTC().Truncate(time.Second)
	if t.Year() >= 1950 && t.Year() < 2050 {
		b.AddASN1UTCTime(t)
	} else {
		b.AddASN1GeneralizedTime(t)
	}
}

// readAnyElement reads one element of any tag, returning its tag and raw
// encoding. Tags of more than one byte are refused (none of the
// structures of this package use them).
func readAnyElement(s *cryptobyte.String, raw *[]byte, tag *cbasn1.Tag) bool {
	var e cryptobyte.String
	if len(*s) == 0 || (*s)[0]&0x1f == 0x1f {
		return false
	}
	if !s.ReadAnyASN1Element(&e, tag) {
		return false
	}
	*raw = e
	return true
}

// derSetOf sorts the encodings of a SET OF as DER requires (X.690 §11.6)
// and concatenates them.
func derSetOf(elems [][]byte) []byte {
	s := slices.Clone(elems)
	slices.SortFunc(s, bytes.Compare)
	return bytes.Join(s, nil)
}

// nullParams is the DER NULL that follows some algorithm OIDs.
var nullParams = []byte{0x05, 0x00}
