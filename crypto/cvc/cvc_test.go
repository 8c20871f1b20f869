package cvc

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rsa"
	"encoding/asn1"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/cancuoc/cancuoc/crypto/ec"
	"github.com/cancuoc/cancuoc/crypto/pki/pkitest"
	"github.com/cancuoc/cancuoc/crypto/secinfo"
	"github.com/cancuoc/cancuoc/internal/vectors"
	"github.com/cancuoc/cancuoc/tlv"
)

func readCert(t testing.TB, name string) []byte {
	t.Helper()
	return vectors.Read(t, filepath.Join("testdata", name))
}

func date(y, m, d int) time.Time { return time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC) }

func TestOpenPACEVectors(t *testing.T) {
	type want struct {
		car, chr   Reference
		role       Role
		dg3, dg4   bool
		curve      *ec.Curve
		rsa        bool
		eff, exp   time.Time
		selfSigned bool
	}
	tests := []struct {
		file   string
		issuer string // file of the issuer ("" when self-signed)
		want   want
	}{
		{"openpace/cvca.cvcert", "", want{"VNCVCA00001", "VNCVCA00001", RoleCVCA, true, true, ec.BrainpoolP256r1(), false, date(2025, 1, 1), date(2028, 1, 1), true}},
		{"openpace/dv.cvcert", "openpace/cvca.cvcert", want{"VNCVCA00001", "VNDVCCCD00001", RoleDVDomestic, true, true, nil, false, date(2025, 2, 1), date(2027, 2, 1), false}},
		{"openpace/is.cvcert", "openpace/dv.cvcert", want{"VNDVCCCD00001", "VNIS000000001", RoleTerminal, true, false, nil, false, date(2025, 3, 1), date(2028, 1, 1), false}},
		{"openpace/cvca_rsa.cvcert", "", want{"VNCVCARSA0001", "VNCVCARSA0001", RoleCVCA, true, true, nil, true, date(2025, 1, 1), date(2028, 1, 1), true}},
		{"openpace/cvca_rsapss.cvcert", "", want{"VNCVCAPSS0001", "VNCVCAPSS0001", RoleCVCA, true, false, nil, true, date(2025, 1, 1), date(2028, 1, 1), true}},
		{"openpace/cvca_p384.cvcert", "", want{"VNCVCAP38401", "VNCVCAP38401", RoleCVCA, false, true, ec.P384(), false, date(2025, 1, 1), date(2028, 1, 1), true}},
	}
	verifiers := map[string]*Verifier{}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			raw := readCert(t, tc.file)
			c, err := Parse(raw)
			require.NoError(t, err)
			w := tc.want
			require.Equal(t, raw, c.Raw)
			require.Equal(t, w.car, c.CAR)
			require.Equal(t, w.chr, c.CHR)
			require.Equal(t, w.selfSigned, c.IsSelfSigned())
			require.True(t, c.CHAT.IsInspectionSystem())
			require.Equal(t, w.role, c.CHAT.Role())
			require.Equal(t, w.dg3, c.CHAT.CanRead(3))
			require.Equal(t, w.dg4, c.CHAT.CanRead(4))
			require.False(t, c.CHAT.CanRead(1))
			require.Equal(t, w.eff, c.Effective)
			require.Equal(t, w.exp, c.Expiry)
			require.Equal(t, w.rsa, c.PublicKey.IsRSA())
			if w.curve != nil {
				require.True(t, w.curve.Equal(c.PublicKey.Curve))
				require.True(t, c.PublicKey.Curve.IsNamed(), "explicit parameters resolve to the named curve")
			} else {
				require.Nil(t, c.PublicKey.Curve)
			}
			// Signature, with the issuer's key (and its domain parameters).
			var issuer *Verifier
			if tc.issuer == "" {
				issuer, err = c.PublicKey.Verifier(nil)
				require.NoError(t, err)
			} else {
				issuer = verifiers[tc.issuer]
				require.NotNil(t, issuer)
			}
			require.NoError(t, c.CheckSignatureFrom(issuer))
			v, err := c.PublicKey.Verifier(issuer.Curve())
			require.NoError(t, err)
			verifiers[tc.file] = v
			// A flipped bit of the body breaks the signature.
			bad := *c
			bad.Body = append([]byte(nil), c.Body...)
			bad.Body[len(bad.Body)-1] ^= 1
			require.ErrorIs(t, bad.CheckSignatureFrom(issuer), ErrSignature)
			// The body re-encodes byte for byte.
			tm := Template{CAR: c.CAR, CHR: c.CHR, PublicKey: c.PublicKey, CHAT: c.CHAT, Effective: c.Effective, Expiry: c.Expiry, Extensions: c.Extensions}
			body, err := tm.MarshalBody()
			require.NoError(t, err)
			require.Equal(t, c.Body, body)
			// PSO:Verify Certificate data is the body and the signature.
			require.Equal(t, raw[len(raw)-len(c.VerifyData()):], c.VerifyData())
			require.Equal(t, c.Body, c.VerifyData()[:len(c.Body)])
		})
	}
	// A DV key without domain parameters cannot verify on its own.
	dv, err := Parse(readCert(t, "openpace/dv.cvcert"))
	require.NoError(t, err)
	_, err = dv.PublicKey.Verifier(nil)
	require.ErrorIs(t, err, ErrInvalidKey)
	// The IS certificate does not verify under the CVCA key.
	is, err := Parse(readCert(t, "openpace/is.cvcert"))
	require.NoError(t, err)
	require.ErrorIs(t, is.CheckSignatureFrom(verifiers["openpace/cvca.cvcert"]), ErrSignature)
}

func TestHierarchy(t *testing.T) {
	day := date(2026, 11, 25)
	opts := &HierarchyConfig{Date: day.Add(13 * time.Hour), Access: ReadDG3 | ReadDG4, Rand: pkitest.SeedReader("hierarchy")}
	h, err := NewHierarchy(opts)
	require.NoError(t, err)
	// Deterministic: equal options, equal bytes.
	opts.Rand = pkitest.SeedReader("hierarchy")
	h2, err := NewHierarchy(opts)
	require.NoError(t, err)
	require.Equal(t, h.CVCA.Raw, h2.CVCA.Raw)
	require.Equal(t, h.DV.Raw, h2.DV.Raw)
	require.Equal(t, h.IS.Raw, h2.IS.Raw)

	require.Equal(t, Reference("VNCVCA00001"), h.CVCA.CHR)
	require.Equal(t, h.CVCA.CHR, h.DV.CAR)
	require.Equal(t, h.DV.CHR, h.IS.CAR)
	require.Equal(t, "VN", h.IS.CHR.Country())
	require.Equal(t, "IS", h.IS.CHR.Mnemonic())
	require.Equal(t, "00001", h.IS.CHR.Sequence())
	require.Equal(t, day, h.IS.Effective)
	require.True(t, h.IS.ValidAt(day))
	require.True(t, h.IS.ValidAt(day.Add(ISValidity)))
	require.False(t, h.IS.ValidAt(day.Add(ISValidity+24*time.Hour)))
	require.False(t, h.IS.ValidAt(day.Add(-time.Second)))

	cv, err := h.CVCA.PublicKey.Verifier(nil)
	require.NoError(t, err)
	require.NoError(t, h.CVCA.CheckSignatureFrom(cv))
	require.NoError(t, h.DV.CheckSignatureFrom(cv))
	dv, err := h.DV.PublicKey.Verifier(cv.Curve())
	require.NoError(t, err)
	require.NoError(t, h.IS.CheckSignatureFrom(dv))
	require.ErrorIs(t, h.IS.CheckSignatureFrom(cv), ErrSignature)
	require.Nil(t, h.DV.PublicKey.Curve)

	// Round trip of every certificate through Parse and Template.
	for _, c := range []*Certificate{h.CVCA, h.DV, h.IS} {
		p, err := Parse(c.Raw)
		require.NoError(t, err)
		require.Equal(t, c, p)
	}

	// Other curves and algorithms.
	for _, o := range []HierarchyConfig{
		{Curve: ec.BrainpoolP384r1(), Protocol: secinfo.OIDTAECDSASHA384},
		{Curve: ec.BrainpoolP512r1(), Protocol: secinfo.OIDTAECDSASHA512},
		{Curve: ec.P256(), Protocol: secinfo.OIDTAECDSASHA256},
		{Curve: ec.BrainpoolP224r1(), Protocol: secinfo.OIDTAECDSASHA224},
		{Curve: ec.BrainpoolP192r1(), Protocol: secinfo.OIDTAECDSASHA1},
	} {
		o.Date, o.Rand, o.Access = day, pkitest.SeedReader(o.Curve.Name()), ReadDG4
		h, err := NewHierarchy(&o)
		require.NoError(t, err, o.Curve.Name())
		cv, err := h.CVCA.PublicKey.Verifier(nil)
		require.NoError(t, err)
		require.NoError(t, h.DV.CheckSignatureFrom(cv))
		dv, err := h.DV.PublicKey.Verifier(cv.Curve())
		require.NoError(t, err)
		require.NoError(t, h.IS.CheckSignatureFrom(dv))
		require.Len(t, h.IS.Signature, 2*o.Curve.OrderByteLen())
	}
	_, err = NewHierarchy(&HierarchyConfig{Protocol: secinfo.OIDTARSAv15SHA256, Rand: pkitest.SeedReader("x")})
	require.ErrorIs(t, err, ErrUnsupported)
}

// TestSigners signs with the standard library's keys: ECDSA (DER converted
// to plain), RSA PKCS #1 v1.5 and PSS.
func TestSigners(t *testing.T) {
	msg := []byte("body")
	ek, err := ecdsa.GenerateKey(elliptic.P256(), pkitest.SeedReader("ecdsa"))
	require.NoError(t, err)
	sig, err := Sign(ek, secinfo.OIDTAECDSASHA256, msg, nil)
	require.NoError(t, err)
	require.Len(t, sig, 64)
	pk := PublicKey{Protocol: secinfo.OIDTAECDSASHA256, Point: mustMarshalECDH(t, ek)}
	v, err := pk.Verifier(ec.P256())
	require.NoError(t, err)
	require.True(t, v.Verify(msg, sig))
	require.False(t, v.Verify([]byte("other"), sig))

	rk := testRSAKey(t)
	for _, proto := range []asn1.ObjectIdentifier{secinfo.OIDTARSAv15SHA1, secinfo.OIDTARSAv15SHA256, secinfo.OIDTARSAv15SHA512, secinfo.OIDTARSAPSSSHA1, secinfo.OIDTARSAPSSSHA256, secinfo.OIDTARSAPSSSHA512} {
		sig, err := Sign(rk, proto, msg, &SignConfig{Rand: pkitest.SeedReader("pss")})
		require.NoError(t, err)
		pk := PublicKey{Protocol: proto, N: rk.N, E: rk.E}
		v, err := pk.Verifier(nil)
		require.NoError(t, err)
		require.True(t, v.Verify(msg, sig), proto.String())
		require.False(t, v.Verify(msg[1:], sig))
		// An RSA-signed certificate round trips too.
		c, err := Create(&Template{CAR: "VNCVCARSA0001", CHR: "VNCVCARSA0001", PublicKey: pk, CHAT: NewISCHAT(RoleCVCA, ReadDG3),
			Effective: date(2026, 1, 1), Expiry: date(2027, 1, 1)}, proto, rk, &SignConfig{Rand: pkitest.SeedReader("c")})
		require.NoError(t, err)
		require.NoError(t, c.CheckSignatureFrom(v))
		require.Equal(t, rk.N, c.PublicKey.N)
	}
	_, err = Sign(rk, secinfo.OIDTAECDSASHA256, msg, nil)
	require.ErrorIs(t, err, ErrUnsupported)
	_, err = Sign(ek, secinfo.OIDTARSAv15SHA256, msg, nil)
	require.ErrorIs(t, err, ErrUnsupported)
	_, err = Sign(ek, secinfo.OIDPACEECDHGMAES128, msg, nil)
	require.ErrorIs(t, err, ErrUnsupported)
}

func mustMarshalECDH(t testing.TB, k *ecdsa.PrivateKey) []byte {
	t.Helper()
	e, err := k.PublicKey.ECDH()
	require.NoError(t, err)
	return e.Bytes()
}

var rsaKey *rsa.PrivateKey

func testRSAKey(t testing.TB) *rsa.PrivateKey {
	t.Helper()
	if rsaKey == nil {
		k, err := rsa.GenerateKey(pkitest.SeedReader("rsa"), 2048)
		require.NoError(t, err)
		rsaKey = k
	}
	return rsaKey
}

func TestCHAT(t *testing.T) {
	cvca := NewISCHAT(RoleCVCA, ReadDG3|ReadDG4)
	dv := NewISCHAT(RoleDVForeign, ReadDG3)
	is := NewISCHAT(RoleTerminal, ReadDG3|ReadDG4)
	require.Equal(t, []byte{0xC3}, cvca.Authorization)
	require.Equal(t, []byte{0x41}, dv.Authorization)
	eff := is.Intersect(dv).Intersect(cvca)
	require.Equal(t, RoleTerminal, eff.Role())
	require.True(t, eff.CanRead(3))
	require.False(t, eff.CanRead(4))
	require.Equal(t, "IS terminal +DG3 (01)", eff.String())
	require.Equal(t, RoleDVForeign, dv.Intersect(is).Role())
	// Another terminal type grants nothing.
	at := CHAT{Type: OIDAuthenticationTerminal, Authorization: []byte{0x3F, 0xFF, 0xFF, 0xFF, 0xFF}}
	none := is.Intersect(at)
	require.False(t, none.CanRead(3) || none.CanRead(4))
	require.False(t, at.CanRead(3))
	require.Equal(t, RoleTerminal, CHAT{}.Role())
	require.Empty(t, CHAT{}.Intersect(is).Authorization)

	enc, err := is.Marshal()
	require.NoError(t, err)
	require.Equal(t, []byte{0x7F, 0x4C, 0x0E, 0x06, 0x09, 0x04, 0x00, 0x7F, 0x00, 0x07, 0x03, 0x01, 0x02, 0x01, 0x53, 0x01, 0x03}, enc)
	back, err := ParseCHAT(enc)
	require.NoError(t, err)
	require.True(t, back.Equal(is))
	for _, bad := range [][]byte{
		{0x7F, 0x4C, 0x03, 0x53, 0x01, 0x03},
		{0x7F, 0x4C, 0x0B, 0x06, 0x09, 0x04, 0x00, 0x7F, 0x00, 0x07, 0x03, 0x01, 0x02, 0x01},
		{0x7F, 0x4C, 0x0D, 0x06, 0x09, 0x04, 0x00, 0x7F, 0x00, 0x07, 0x03, 0x01, 0x02, 0x01, 0x53, 0x00},
		append(append([]byte(nil), enc...), 0x00),
		{0x7F, 0x4D, 0x00},
	} {
		_, err := ParseCHAT(bad)
		require.ErrorIs(t, err, ErrMalformed)
	}
	_, err = CHAT{Type: OIDInspectionSystem}.Marshal()
	require.ErrorIs(t, err, ErrMalformed)
	for r, s := range map[Role]string{RoleTerminal: "terminal", RoleDVForeign: "DV (foreign)", RoleDVDomestic: "DV (domestic)", RoleCVCA: "CVCA", 7: "Role(7)"} {
		require.Equal(t, s, r.String())
	}
	require.Contains(t, at.String(), "AT ")
}

func TestDates(t *testing.T) {
	d, err := parseDate([]byte{2, 6, 1, 1, 2, 5})
	require.NoError(t, err)
	require.Equal(t, date(2026, 11, 25), d)
	for _, bad := range [][]byte{{2, 6, 1, 3, 0, 1}, {2, 6, 0, 2, 3, 0}, {2, 6, 0, 0, 0, 1}, {2, 6, 0, 1, 0, 0}, {2, 6, 0, 1, 0}, {2, 6, 0, 1, 0, 0x0A}, {'2', '6', '0', '1', '0', '1'}} {
		_, err := parseDate(bad)
		require.ErrorIs(t, err, ErrDate, "%x", bad)
	}
	enc, err := appendDate(nil, date(2099, 12, 31))
	require.NoError(t, err)
	require.Equal(t, []byte{9, 9, 1, 2, 3, 1}, enc)
	_, err = appendDate(nil, date(2100, 1, 1))
	require.ErrorIs(t, err, ErrDate)
	_, err = appendDate(nil, date(1999, 12, 31))
	require.ErrorIs(t, err, ErrDate)
}

func TestReference(t *testing.T) {
	r := Reference("DETESTeID00004")
	require.NoError(t, r.Check())
	require.Equal(t, "DE", r.Country())
	require.Equal(t, "TESTeID", r.Mnemonic())
	require.Equal(t, "00004", r.Sequence())
	require.Empty(t, Reference("D").Country())
	require.Empty(t, Reference("DE123").Mnemonic())
	require.Empty(t, Reference("DE123").Sequence())
	for _, bad := range []Reference{"", "D", "DE\x00CVCA00001", "DECVCA00001234567", "DE\x85"} {
		require.ErrorIs(t, bad.Check(), ErrReference)
	}
	require.NoError(t, Reference("DE\xC4CVCA00001").Check()) // ISO/IEC 8859-1 letters
}

func TestParseErrors(t *testing.T) {
	raw := readCert(t, "openpace/dv.cvcert")
	c, err := Parse(raw)
	require.NoError(t, err)
	// rebuild wraps a body into a certificate with the original signature.
	rebuild := func(body []byte) []byte {
		inner := append(append([]byte(nil), body...), 0x5F, 0x37, byte(len(c.Signature)))
		inner = append(inner, c.Signature...)
		out := []byte{0x7F, 0x21, 0x81, byte(len(inner))}
		if len(inner) < 0x80 {
			out = []byte{0x7F, 0x21, byte(len(inner))}
		}
		return append(out, inner...)
	}
	body := func(objs ...[]byte) []byte {
		var v []byte
		for _, o := range objs {
			v = append(v, o...)
		}
		h := []byte{0x7F, 0x4E, 0x81, byte(len(v))}
		if len(v) < 0x80 {
			h = []byte{0x7F, 0x4E, byte(len(v))}
		}
		return append(h, v...)
	}
	// The objects of the real body, in order.
	objs := splitBody(t, c.Body)
	require.Len(t, objs, 7)
	require.Equal(t, raw, rebuild(body(objs...)))

	tests := []struct {
		name string
		in   []byte
		err  error
	}{
		{"empty", nil, ErrMalformed},
		{"too large", make([]byte, MaxCertificateLen+1), ErrTooLarge},
		{"not 7F21", append([]byte{0x7F, 0x22}, raw[2:]...), ErrMalformed},
		{"trailing", append(append([]byte(nil), raw...), 0), ErrMalformed},
		{"missing CAR", rebuild(body(objs[0], objs[2], objs[3], objs[4], objs[5], objs[6])), ErrMalformed},
		{"swapped dates", rebuild(body(objs[0], objs[1], objs[2], objs[3], objs[4], objs[6], objs[5])), ErrMalformed},
		{"expiry before effective", rebuild(body(objs[0], objs[1], objs[2], objs[3], objs[4], []byte{0x5F, 0x25, 6, 2, 7, 0, 1, 0, 1}, []byte{0x5F, 0x24, 6, 2, 6, 0, 1, 0, 1})), ErrDate},
		{"bad date", rebuild(body(objs[0], objs[1], objs[2], objs[3], objs[4], []byte{0x5F, 0x25, 6, 2, 7, 1, 3, 0, 1}, objs[6])), ErrDate},
		{"profile 1", rebuild(body([]byte{0x5F, 0x29, 1, 1}, objs[1], objs[2], objs[3], objs[4], objs[5], objs[6])), ErrUnsupported},
		{"profile 2 bytes", rebuild(body([]byte{0x5F, 0x29, 2, 0, 0}, objs[1], objs[2], objs[3], objs[4], objs[5], objs[6])), ErrMalformed},
		{"unknown object", rebuild(body(objs[0], []byte{0x66, 0}, objs[1], objs[2], objs[3], objs[4], objs[5], objs[6])), ErrMalformed},
		{"duplicate object", rebuild(body(objs[0], objs[0], objs[1], objs[2], objs[3], objs[4], objs[5], objs[6])), ErrMalformed},
		{"bad CAR", rebuild(body(objs[0], []byte{0x42, 1, 'V'}, objs[2], objs[3], objs[4], objs[5], objs[6])), ErrReference},
		{"no signature", append([]byte{0x7F, 0x21, 0x81, byte(len(c.Body))}, c.Body...), ErrMalformed},
		{"unknown key algorithm", rebuild(body(objs[0], objs[1], []byte{0x7F, 0x49, 0x05, 0x06, 0x03, 0x2A, 0x03, 0x04}, objs[3], objs[4], objs[5], objs[6])), ErrUnsupported},
		{"key without point", rebuild(body(objs[0], objs[1], objs[2][:3+12], objs[3], objs[4], objs[5], objs[6])), ErrMalformed},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse(tc.in)
			require.ErrorIs(t, err, tc.err)
			var e *Error
			require.True(t, errors.As(err, &e))
			require.NotEmpty(t, e.Error())
		})
	}
}

// splitBody returns the encoded objects inside a body.
func splitBody(t *testing.T, body []byte) [][]byte {
	t.Helper()
	c, err := ParseBody(body)
	require.NoError(t, err)
	_ = c
	var out [][]byte
	v := body[3:]
	if body[2] == 0x81 {
		v = body[4:]
	}
	for len(v) > 0 {
		n := tlvLen(v)
		out = append(out, v[:n])
		v = v[n:]
	}
	return out
}

func tlvLen(b []byte) int {
	tl := 1
	if b[0]&0x1F == 0x1F {
		tl = 2
	}
	l := int(b[tl])
	switch l {
	case 0x81:
		return tl + 2 + int(b[tl+1])
	case 0x82:
		return tl + 3 + int(b[tl+1])<<8 | int(b[tl+2])
	}
	return tl + 1 + l
}

func TestCreateErrors(t *testing.T) {
	k, err := ec.GenerateKey(ec.BrainpoolP256r1(), pkitest.SeedReader("k"))
	require.NoError(t, err)
	good := Template{CAR: "VNCVCA00001", CHR: "VNCVCA00001",
		PublicKey: PublicKey{Protocol: secinfo.OIDTAECDSASHA256, Curve: k.Curve(), Point: k.PublicKey.Bytes()},
		CHAT:      NewISCHAT(RoleCVCA, 3), Effective: date(2026, 1, 1), Expiry: date(2027, 1, 1), Extensions: []byte{}}
	c, err := Create(&good, secinfo.OIDTAECDSASHA256, k, &SignConfig{Rand: pkitest.SeedReader("s")})
	require.NoError(t, err)
	require.NotNil(t, c.Extensions) // '65' present, empty
	for name, mod := range map[string]func(*Template){
		"CAR":       func(t *Template) { t.CAR = "V" },
		"CHR":       func(t *Template) { t.CHR = "" },
		"dates":     func(t *Template) { t.Expiry = date(2025, 1, 1) },
		"year 2100": func(t *Template) { t.Expiry = date(2100, 1, 1) },
		"year 1999": func(t *Template) { t.Effective = date(1999, 1, 1) },
		"key alg":   func(t *Template) { t.PublicKey.Protocol = secinfo.OIDCAECDHAES128 },
		"CHAT":      func(t *Template) { t.CHAT = CHAT{} },
	} {
		tm := good
		mod(&tm)
		_, err := Create(&tm, secinfo.OIDTAECDSASHA256, k, &SignConfig{Rand: pkitest.SeedReader("s")})
		require.Error(t, err, name)
	}
	_, err = Create(&good, secinfo.OIDTARSAPSSSHA256, k, &SignConfig{Rand: pkitest.SeedReader("s")})
	require.ErrorIs(t, err, ErrUnsupported)
	require.Contains(t, c.String(), "CAR VNCVCA00001")
	require.True(t, bytes.HasPrefix(c.Raw, []byte{0x7F, 0x21}))
}

// A CV certificate's public key with explicit domain parameters whose
// subgroup is small (brainpoolP256r1's field, equation and generator with
// a claimed order of 3) is refused: ErrInvalidKey, and ec.ErrWeakCurve
// with errors.Is.
func TestPublicKeyWeakExplicitCurve(t *testing.T) {
	c := ec.BrainpoolP256r1()
	oid, err := asn1.Marshal(secinfo.OIDTAECDSASHA256)
	require.NoError(t, err)
	v := tlv.AppendTLV(nil, 0x06, oid[2:])
	v = tlv.AppendTLV(v, 0x81, c.P().Bytes())
	v = tlv.AppendTLV(v, 0x82, c.A().Bytes())
	v = tlv.AppendTLV(v, 0x83, c.B().Bytes())
	v = tlv.AppendTLV(v, 0x84, c.Generator().Bytes())
	v = tlv.AppendTLV(v, 0x85, []byte{3})
	v = tlv.AppendTLV(v, 0x86, c.Generator().Bytes())
	_, err = parsePublicKey(v, 0)
	require.ErrorIs(t, err, ErrInvalidKey)
	require.ErrorIs(t, err, ec.ErrWeakCurve)
	var e *Error
	require.ErrorAs(t, err, &e)
}
