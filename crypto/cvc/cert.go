package cvc

import (
	"crypto"
	"encoding/asn1"
	"fmt"
	"time"

	"github.com/cancuoc/cancuoc/tlv"
)

// MaxCertificateLen bounds an encoded certificate. The largest real ones
// (a CVCA with 4096-bit RSA or brainpoolP512r1 parameters) stay well below.
const MaxCertificateLen = 4096

// Certificate is a card verifiable certificate (BSI TR-03110-3 appendix C,
// ISO/IEC 7816-8):
//
//	'7F21' CV certificate {
//	    '7F4E' body {
//	        '5F29' profile identifier (0)
//	        '42'   certification authority reference (CAR)
//	        '7F49' public key
//	        '5F20' certificate holder reference (CHR)
//	        '7F4C' certificate holder authorization template (CHAT)
//	        '5F25' effective date, '5F24' expiration date (YYMMDD)
//	        '65'   extensions (optional) }
//	    '5F37' signature over the encoded body }
type Certificate struct {
	// Raw is the whole certificate ('7F21'), Body the encoded body
	// ('7F4E', the signed data) and Signature the value of '5F37'.
	Raw       []byte
	Body      []byte
	Signature []byte

	ProfileID byte
	CAR       Reference
	PublicKey PublicKey
	CHR       Reference
	CHAT      CHAT
	// Effective and Expiry are the first and last days of validity, at
	// 00:00 UTC.
	Effective time.Time
	Expiry    time.Time
	// Extensions is the value of '65' (certificate extensions), nil when
	// absent.
	Extensions []byte
}

// Parse decodes a certificate ('7F21') strictly: the objects of the body
// in the order of TR-03110-3 Table C.1, nothing after them. The returned
// Certificate keeps copies of the bytes it was given.
func Parse(b []byte) (*Certificate, error) {
	if len(b) > MaxCertificateLen {
		return nil, newErr("parse", 0x7F21, 0, ErrTooLarge)
	}
	b = append([]byte(nil), b...)
	t, err := tlv.ParseOne(b)
	if err != nil {
		return nil, &Error{Op: "parse", Tag: 0x7F21, Offset: 0, Err: fmt.Errorf("%w: %w", ErrMalformed, err)}
	}
	if t.Tag != 0x7F21 {
		return nil, newErr("parse", t.Tag, 0, ErrMalformed)
	}
	r := tlv.NewReader(b)
	r.Next()
	in := r.Children()
	if !in.Next() || in.TLV().Tag != 0x7F4E {
		return nil, newErr("parse", 0x7F4E, t.ValueOffset(), ErrMalformed)
	}
	body := in.TLV()
	if !in.Next() || in.TLV().Tag != 0x5F37 {
		return nil, newErr("parse", 0x5F37, body.Offset+len(body.Raw), ErrMalformed)
	}
	sig := in.TLV()
	if in.Next() || in.Err() != nil {
		return nil, newErr("parse", 0x7F21, sig.Offset+len(sig.Raw), ErrMalformed)
	}
	if len(sig.Value) == 0 {
		return nil, newErr("parse", 0x5F37, sig.Offset, ErrMalformed)
	}
	c := &Certificate{Raw: b, Body: body.Raw, Signature: sig.Value}
	if err := c.parseBody(body.Value, body.ValueOffset()); err != nil {
		return nil, err
	}
	return c, nil
}

// ParseBody decodes a certificate body ('7F4E') without a signature, such
// as the data of a certificate request's inner part. Raw and Signature
// stay nil.
func ParseBody(b []byte) (*Certificate, error) {
	if len(b) > MaxCertificateLen {
		return nil, newErr("parse", 0x7F4E, 0, ErrTooLarge)
	}
	b = append([]byte(nil), b...)
	t, err := tlv.ParseOne(b)
	if err != nil || t.Tag != 0x7F4E {
		return nil, newErr("parse", 0x7F4E, 0, ErrMalformed)
	}
	c := &Certificate{Body: b}
	if err := c.parseBody(t.Value, t.ValueOffset()); err != nil {
		return nil, err
	}
	return c, nil
}

// parseBody decodes the contents of '7F4E' that start at offset off.
func (c *Certificate) parseBody(v []byte, off int) error {
	order := []tlv.Tag{0x5F29, 0x42, 0x7F49, 0x5F20, 0x7F4C, 0x5F25, 0x5F24, 0x65}
	i := 0
	r := tlv.NewReader(v)
	for r.Next() {
		o := r.TLV()
		at := off + o.Offset
		for i < len(order) && order[i] != o.Tag {
			if order[i] != 0x65 && i < 7 {
				return newErr("parse", order[i], at, ErrMalformed) // a mandatory object is missing or out of order
			}
			i++
		}
		if i == len(order) {
			return newErr("parse", o.Tag, at, ErrMalformed)
		}
		i++
		var err error
		switch o.Tag {
		case 0x5F29:
			if len(o.Value) != 1 {
				return newErr("parse", o.Tag, at, ErrMalformed)
			}
			if o.Value[0] != 0 {
				return newErr("parse", o.Tag, at, ErrUnsupported)
			}
			c.ProfileID = o.Value[0]
		case 0x42:
			c.CAR, err = parseReference(o.Value)
		case 0x7F49:
			c.PublicKey, err = parsePublicKey(o.Value, off+o.ValueOffset())
			if err != nil {
				return err
			}
		case 0x5F20:
			c.CHR, err = parseReference(o.Value)
		case 0x7F4C:
			c.CHAT, err = parseCHAT(o.Value, off+o.ValueOffset())
			if err != nil {
				return err
			}
		case 0x5F25:
			c.Effective, err = parseDate(o.Value)
		case 0x5F24:
			c.Expiry, err = parseDate(o.Value)
		case 0x65:
			c.Extensions = o.Value
		}
		if err != nil {
			return newErr("parse", o.Tag, at, err)
		}
	}
	if r.Err() != nil {
		return &Error{Op: "parse", Tag: 0x7F4E, Offset: off, Err: fmt.Errorf("%w: %w", ErrMalformed, r.Err())}
	}
	if i < 7 {
		return newErr("parse", order[i], off+len(v), ErrMalformed)
	}
	if c.Expiry.Before(c.Effective) {
		return newErr("parse", 0x5F24, off, ErrDate)
	}
	return nil
}

// parseDate decodes six unpacked BCD digits YYMMDD (each byte 0 to 9) as a
// day of 2000 to 2099.
func parseDate(v []byte) (time.Time, error) {
	if len(v) != 6 {
		return time.Time{}, ErrDate
	}
	var d [6]int
	for i, x := range v {
		if x > 9 {
			return time.Time{}, ErrDate
		}
		d[i] = int(x)
	}
	y, m, day := 2000+d[0]*10+d[1], d[2]*10+d[3], d[4]*10+d[5]
	t := time.Date(y, time.Month(m), day, 0, 0, 0, 0, time.UTC)
	if m < 1 || m > 12 || day < 1 || t.Day() != day {
		return time.Time{}, ErrDate
	}
	return t, nil
}

// appendDate encodes a day of 2000 to 2099 as six unpacked digits.
func appendDate(dst []byte, t time.Time) ([]byte, error) {
	t = t.UTC()
	y := t.Year() - 2000
	if y < 0 || y > 99 {
		return nil, ErrDate
	}
	m, d := int(t.Month()), t.Day()
	return append(dst, byte(y/10), byte(y%10), byte(m/10), byte(m%10), byte(d/10), byte(d%10)), nil
}

// Day truncates t to its day in UTC, the resolution of certificate dates.
func Day(t time.Time) time.Time {
	y, m, d := t.UTC().Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// ValidAt reports whether day falls within the certificate's validity
// period, both ends included (dates have a resolution of one day).
func (c *Certificate) ValidAt(day time.Time) bool {
	d := Day(day)
	return !d.Before(c.Effective) && !d.After(c.Expiry)
}

// CheckSignatureFrom verifies the certificate's signature over its body
// with the issuer's key. For ECDSA the issuer's Verifier carries the
// domain parameters (from the CVCA).
func (c *Certificate) CheckSignatureFrom(issuer *Verifier) error {
	if issuer == nil || !issuer.Verify(c.Body, c.Signature) {
		return newErr("verify", 0x5F37, -1, ErrSignature)
	}
	return nil
}

// IsSelfSigned reports whether CAR equals CHR: a CVCA certificate (or a
// link certificate's successor key when they differ).
func (c *Certificate) IsSelfSigned() bool { return c.CAR == c.CHR }

// String summarizes the certificate.
func (c *Certificate) String() string {
	return fmt.Sprintf("cvc.Certificate(CAR %s, CHR %s, %s, %s to %s)", c.CAR, c.CHR, c.CHAT,
		c.Effective.Format(time.DateOnly), c.Expiry.Format(time.DateOnly))
}

// Template is what a new certificate says; Create encodes and signs it.
type Template struct {
	CAR, CHR   Reference
	PublicKey  PublicKey
	CHAT       CHAT
	Effective  time.Time
	Expiry     time.Time
	Extensions []byte
}

// MarshalBody encodes the body ('7F4E') of a certificate with the given
// contents.
func (t *Template) MarshalBody() ([]byte, error) {
	if err := t.CAR.Check(); err != nil {
		return nil, newErr("create", 0x42, -1, err)
	}
	if err := t.CHR.Check(); err != nil {
		return nil, newErr("create", 0x5F20, -1, err)
	}
	eff, err := appendDate(nil, t.Effective)
	if err != nil {
		return nil, newErr("create", 0x5F25, -1, err)
	}
	exp, err := appendDate(nil, t.Expiry)
	if err != nil {
		return nil, newErr("create", 0x5F24, -1, err)
	}
	if Day(t.Expiry).Before(Day(t.Effective)) {
		return nil, newErr("create", 0x5F24, -1, ErrDate)
	}
	b := tlv.NewBuilder(512)
	var inner error
	b.AddConstructed(0x7F4E, func(b *tlv.Builder) {
		b.Add(0x5F29, []byte{0})
		b.AddString(0x42, string(t.CAR))
		if err := t.PublicKey.marshal(b); err != nil {
			inner = newErr("create", 0x7F49, -1, err)
			return
		}
		b.AddString(0x5F20, string(t.CHR))
		if err := t.CHAT.marshal(b); err != nil {
			inner = err
			return
		}
		b.Add(0x5F25, eff)
		b.Add(0x5F24, exp)
		if t.Extensions != nil {
			b.Add(0x65, t.Extensions)
		}
	})
	if inner != nil {
		return nil, inner
	}
	out, err := b.Bytes()
	if err != nil {
		return nil, newErr("create", 0x7F4E, -1, ErrMalformed)
	}
	return out, nil
}

// Create encodes the certificate of t and signs its body with signer under
// the issuer's algorithm (the Protocol of the issuer's public key; for a
// self-signed CVCA certificate, t.PublicKey.Protocol). ECDSA signatures
// are plain r || s; config.Rand goes to the signer (with a *ec.PrivateKey on
// a Brainpool curve, equal inputs and Rand bytes give equal
// certificates); config may be nil for all defaults. The result parses back
// to the same values.
func Create(t *Template, issuerProtocol asn1.ObjectIdentifier, signer crypto.Signer, config *SignConfig) (*Certificate, error) {
	body, err := t.MarshalBody()
	if err != nil {
		return nil, err
	}
	sig, err := Sign(signer, issuerProtocol, body, config)
	if err != nil {
		return nil, err
	}
	raw := tlv.NewBuilder(len(body) + len(sig) + 16)
	raw.AddConstructed(0x7F21, func(b *tlv.Builder) {
		b.AddRaw(body)
		b.Add(0x5F37, sig)
	})
	out, err := raw.Bytes()
	if err != nil {
		return nil, newErr("create", 0x7F21, -1, ErrMalformed)
	}
	return Parse(out)
}

// VerifyData returns the contents of '7F21' (the body and the signature
// objects), the data PSO:Verify Certificate sends.
func (c *Certificate) VerifyData() []byte {
	t, err := tlv.ParseOne(c.Raw)
	if err != nil {
		return nil
	}
	return t.Value
}
