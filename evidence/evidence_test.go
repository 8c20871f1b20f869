package evidence

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/cancuoc/cancuoc/chip"
	"github.com/cancuoc/cancuoc/chip/sim"
	"github.com/cancuoc/cancuoc/conform"
	"github.com/cancuoc/cancuoc/crypto/pki"
	"github.com/cancuoc/cancuoc/crypto/pki/pkitest"
	"github.com/cancuoc/cancuoc/policy"
	"github.com/cancuoc/cancuoc/reader"
)

var (
	pkiNow   = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	signedAt = time.Date(2025, 1, 15, 0, 0, 0, 0, time.UTC)
	verifyAt = time.Date(2025, 2, 1, 0, 0, 0, 0, time.UTC)

	once    sync.Once
	testPKI *pkitest.PKI
	cccd    *sim.Image
	onceErr error
)

func fixture(t *testing.T) (*pkitest.PKI, *sim.Image) {
	t.Helper()
	once.Do(func() {
		testPKI, onceErr = pkitest.New(pkitest.Config{Now: pkiNow, CSCA: pkitest.P256, DS: pkitest.P256})
		if onceErr != nil {
			return
		}
		doc, err := sim.DemoCCCD()
		if err != nil {
			onceErr = err
			return
		}
		cccd, onceErr = sim.Personalize(doc, &sim.PersonalizeConfig{Profile: sim.ProfileCCCD, CAN: "123456",
			Issuer: sim.Issuer{Signer: testPKI.DS.Key, Cert: testPKI.DS.Cert}, Time: func() time.Time { return signedAt }})
	})
	require.NoError(t, onceErr)
	return testPKI, cccd
}

// read reads the CCCD with the CAN under the bank policy.
func read(t *testing.T) (*reader.Result, []byte) {
	t.Helper()
	p, img := fixture(t)
	card, err := sim.New(img, nil)
	require.NoError(t, err)
	res, err := reader.Read(context.Background(), card, reader.CANKey(img.Secrets.CAN),
		&reader.Config{Trust: p.Trust(), Time: func() time.Time { return verifyAt }, Policy: policy.Bank})
	require.NoError(t, err)
	require.True(t, res.Verified(), "%v", res.Reasons())
	b, err := New(res, verifyAt)
	require.NoError(t, err)
	data, err := b.Marshal()
	require.NoError(t, err)
	return res, data
}

// trustFiles is the trust as a verifier elsewhere has it: the PKI's files
// loaded from a folder.
func trustFiles(t *testing.T) *pki.TrustStore {
	t.Helper()
	p, _ := fixture(t)
	ts := pki.NewTrustStore()
	ts.AddCSCA(p.CSCA.Cert)
	ts.AddLinkCertificate(p.Link)
	require.NoError(t, ts.AddCRL(p.CRL))
	return ts
}

func TestBundleReverifies(t *testing.T) {
	res, data := read(t)
	r, err := Verify(data, trustFiles(t))
	require.NoError(t, err)
	require.NoError(t, r.Err())
	require.True(t, r.Verified())
	require.Equal(t, res.Decision(), r.Decision)
	require.Equal(t, policy.Passed, r.Facts.ActiveAuth)
	require.Contains(t, r.Notes, NoteChipAuth)

	b, err := Parse(data)
	require.NoError(t, err)
	require.NotNil(t, b.ActiveAuth)
	require.Len(t, b.ActiveAuth.Challenge, 8)
	require.NotNil(t, b.PACE)
	require.NotNil(t, b.ChipAuth)
	require.NotNil(t, b.Trust.Anchor)
	require.Len(t, b.Trust.CRLs, 1)
	require.Equal(t, policy.Bank, b.Policy)
	var names []string
	for _, f := range b.Files {
		names = append(names, f.Name)
	}
	for _, n := range []string{"DG1", "DG2", "DG13", "DG14", "DG15", "EF.COM", "EF.SOD", "EF.CardAccess"} {
		require.Contains(t, names, n)
	}
}

// TestChangedByteFails: a byte changed anywhere in the bundle fails
// re-verification (here: at Parse, by the canonical form or the
// integrity digest).
func TestChangedByteFails(t *testing.T) {
	_, data := read(t)
	trust := trustFiles(t)
	step := max(1, len(data)/1500)
	for i := 0; i < len(data); i += step {
		for _, x := range []byte{0x01, 0x20} {
			m := bytes.Clone(data)
			m[i] ^= x
			r, err := Verify(m, trust)
			if err == nil {
				require.Error(t, r.Err(), "byte %d ^ %02x accepted", i, x)
			}
		}
	}
	// Appended and removed bytes too.
	_, err := Verify(append(bytes.Clone(data), ' '), trust)
	require.Error(t, err)
	_, err = Verify(data[:len(data)-2], trust)
	require.Error(t, err)
}

// TestTamperedAndResealed: someone who changes a bundle and computes its
// digest again is still caught wherever something binds the field: the
// files (EF.SOD), the AA signature (DG15's key), and the claims that
// re-verification recomputes (verdict, facts, trust, policy).
func TestTamperedAndResealed(t *testing.T) {
	_, data := read(t)
	trust := trustFiles(t)
	cases := []struct {
		name   string
		change func(b *Bundle)
		field  string
	}{
		{"a DG2 byte", func(b *Bundle) {
			for i := range b.Files {
				if b.Files[i].Name == "DG2" {
					b.Files[i].Data[len(b.Files[i].Data)-1] ^= 1
					b.Files[i].SHA256 = fingerprint(b.Files[i].Data)
				}
			}
		}, "facts.passive_auth"},
		{"a DG1 swapped for another holder's", func(b *Bundle) {
			for i := range b.Files {
				if b.Files[i].Name == "DG1" {
					b.Files[i].Data = bytes.ReplaceAll(b.Files[i].Data, []byte("NGUYEN"), []byte("NGUYAN"))
					b.Files[i].SHA256 = fingerprint(b.Files[i].Data)
				}
			}
		}, "facts.passive_auth"},
		{"the AA signature", func(b *Bundle) { b.ActiveAuth.Signature[10] ^= 1 }, "facts.active_auth"},
		{"the AA challenge", func(b *Bundle) { b.ActiveAuth.Challenge[0] ^= 1 }, "facts.active_auth"},
		{"the claimed verdict", func(b *Bundle) { b.Verdict = policy.NotVerified }, "verdict"},
		{"a claimed reason added", func(b *Bundle) {
			b.Reasons = append(b.Reasons, policy.Reason{Code: policy.CodeCRLStale, Severity: policy.Warning})
		}, "reasons"},
		{"a claimed fact", func(b *Bundle) { b.Facts.CRL = pki.CRLStale }, "facts.crl"},
		{"the claimed chip authentication, not the verdict", func(b *Bundle) { b.Facts.ChipAuth = policy.Failed }, "verdict"},
		{"a conformance finding added to the claims", func(b *Bundle) {
			b.Facts.Findings = append(b.Facts.Findings, conform.Finding{Rule: conform.RuleDSCountry, Object: "Document Signer certificate", Offset: -1, Detail: "x"})
		}, "facts.findings"},
		{"the trust anchor", func(b *Bundle) { b.Trust.Anchor.SHA256 = strings.Repeat("0", 64) }, "trust"},
		{"the policy's requirements", func(b *Bundle) { b.Policy.RequireCRL = false }, "policy"},
		{"the policy's description", func(b *Bundle) { b.Policy.Description += "." }, "policy"},
		{"the read time, past the CRL's next update", func(b *Bundle) { b.ReadAt = b.ReadAt.AddDate(0, 6, 0) }, "facts.crl"},
		{"a file removed", func(b *Bundle) {
			b.Files = append(b.Files[:0:0], b.Files[1:]...)
		}, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			b, err := Parse(data)
			require.NoError(t, err)
			c.change(b)
			require.NoError(t, b.seal())
			m, err := b.Marshal()
			require.NoError(t, err)
			r, err := Verify(m, trust)
			require.NoError(t, err, "a resealed bundle parses")
			require.ErrorIs(t, r.Err(), ErrDisagrees)
			require.False(t, r.Verified())
			if c.field != "" {
				fields := []string{}
				for _, d := range r.Disagreements {
					fields = append(fields, d.Field)
				}
				require.Contains(t, fields, c.field, "%v", r.Disagreements)
			}
		})
	}
}

// TestOtherTrustFails: with trust files of another PKI, passive
// authentication fails again and the bundle's claims disagree.
func TestOtherTrustFails(t *testing.T) {
	_, data := read(t)
	other, err := pkitest.New(pkitest.Config{Seed: "other", Now: pkiNow, CSCA: pkitest.P256, DS: pkitest.P256})
	require.NoError(t, err)
	r, err := Verify(data, other.Trust())
	require.NoError(t, err)
	require.ErrorIs(t, r.Err(), ErrDisagrees)
	require.Equal(t, policy.NotVerified, r.Decision.Verdict)
}

// encodings returns the forms a secret could take in JSON: as is, hex,
// and base64 at each of the three alignments.
func encodings(secret []byte) []string {
	out := []string{string(secret), hex.EncodeToString(secret), strings.ToUpper(hex.EncodeToString(secret))}
	for i := 0; i < 3 && i < len(secret); i++ {
		s := base64.StdEncoding.EncodeToString(secret[i:])
		if len(s) > 8 {
			out = append(out, s[4:len(s)-4])
		}
	}
	return out
}

// TestNoSecret: the bundle holds neither the MRZ key, nor the CAN, nor the
// PACE session keys, nor the chip's private keys.
func TestNoSecret(t *testing.T) {
	_, img := fixture(t)
	for _, key := range []string{"can", "mrz"} {
		t.Run(key, func(t *testing.T) {
			p, _ := fixture(t)
			card, err := sim.New(img, nil)
			require.NoError(t, err)
			k := reader.CANKey(img.Secrets.CAN)
			if key == "mrz" {
				k, err = reader.ParseMRZKey(mrzKeyArg(t, img))
				require.NoError(t, err)
			}
			res, err := reader.Read(context.Background(), card, k, &reader.Config{Trust: p.Trust(), Time: func() time.Time { return verifyAt }, Policy: policy.Bank})
			require.NoError(t, err)
			b, err := New(res, verifyAt)
			require.NoError(t, err)
			data, err := b.Marshal()
			require.NoError(t, err)
			js := string(data)
			kEnc, kMAC := res.PACE.Keys()
			secrets := map[string][]byte{
				"MRZ information": []byte(img.Secrets.MRZInfo), "CAN": []byte(img.Secrets.CAN),
				"K_Enc": kEnc, "K_MAC": kMAC, "AA private key": img.Secrets.AAKey, "CA private key": img.Secrets.CAKey,
			}
			for name, s := range secrets {
				require.GreaterOrEqual(t, len(s), 6, name)
				for _, e := range encodings(s) {
					require.NotContains(t, js, e, "%s found in the bundle", name)
				}
			}
			// The MRZ key as a reader takes it on the command line.
			require.NotContains(t, js, mrzKeyArg(t, img))
			// And the JSON says nothing of passwords or keys by name.
			var generic map[string]any
			require.NoError(t, json.Unmarshal(data, &generic))
			for _, word := range []string{`"can"`, `"mrz"`, `"password"`, `"k_enc"`, `"k_mac"`, `"private`} {
				require.NotContains(t, strings.ToLower(js), word)
			}
		})
	}
}

// mrzKeyArg is the MRZ key of the image as DOC,YYMMDD,YYMMDD.
func mrzKeyArg(t *testing.T, img *sim.Image) string {
	t.Helper()
	doc, err := chip.ParseDocument(map[chip.File][]byte{chip.EFDG1: img.Files[chip.EFDG1]})
	require.NoError(t, err)
	f := doc.DG1.MRZ.Fields
	return strings.TrimRight(f.DocumentNumber, "<") + "," + string(f.DateOfBirth) + "," + string(f.DateOfExpiry)
}

func FuzzParse(f *testing.F) {
	f.Add([]byte(`{"format":"cancuoc-evidence","version":1}`))
	f.Add([]byte(`{}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		b, err := Parse(data)
		if err == nil {
			again, err := b.Marshal()
			require.NoError(t, err)
			require.Equal(t, data, again)
		}
	})
}

// TestCanonicalFast: canonical (the files' base64 put in after indenting)
// writes exactly what json.MarshalIndent writes, for a read's bundle and
// for bundles whose strings hold what the splicing looks for; seal's kept
// encoding is Marshal's, and Parse takes it.
func TestCanonicalFast(t *testing.T) {
	res, data := read(t)
	b, err := New(res, verifyAt)
	require.NoError(t, err)
	require.Equal(t, data, b.Encoded(), "the encoding kept at sealing is Marshal's")
	hostile := []string{`"data": null`, "\"data\": null\n  \"integrity\": \"\"", `<>&`, "tiếng Việt\u2028", `\`, "\n  \"integrity\": "}
	cases := []struct {
		name   string
		change func(b *Bundle)
	}{
		{"as read", func(*Bundle) {}},
		{"no files", func(b *Bundle) { b.Files = nil }},
		{"an empty list of files", func(b *Bundle) { b.Files = []File{} }},
		{"nil and empty data", func(b *Bundle) {
			b.Files[0].Data = nil
			b.Files[1].Data = []byte{}
		}},
		{"hostile strings", func(b *Bundle) {
			for i, h := range hostile {
				b.Files[i%len(b.Files)].Name = h
				b.Files[i%len(b.Files)].SHA256 = h
				b.Access = h
				b.Trust.Anchor.Subject = h
				b.Facts.Findings = append(b.Facts.Findings, conform.Finding{Object: h, Detail: h, Offset: -1})
				b.Reasons = append(b.Reasons, policy.Reason{Code: policy.CodeCRLStale, Detail: h})
				b.Policy.Description += h
			}
		}},
		{"a file's data spells the marker", func(b *Bundle) { b.Files[2].Data = []byte(`"data": null`) }},
		{"integrity set to a hostile string", func(b *Bundle) { b.Integrity = hostile[1] }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			b, err := Parse(data)
			require.NoError(t, err)
			c.change(b)
			fast, err := b.canonical()
			require.NoError(t, err)
			slow, err := b.canonicalSlow()
			require.NoError(t, err)
			require.Equal(t, string(slow), string(fast))

			require.NoError(t, b.seal())
			m, err := b.Marshal()
			require.NoError(t, err)
			require.Equal(t, string(m), string(b.Encoded()))
			want, err := b.digest()
			require.NoError(t, err)
			require.Equal(t, want, b.Integrity)
			if c.name == "as read" || c.name == "no files" {
				_, err = Parse(m)
				require.NoError(t, err)
			}
		})
	}
}

// BenchmarkMarshal: the canonical encoding of a read's bundle, by
// canonical and by json.MarshalIndent alone.
func BenchmarkMarshal(b *testing.B) {
	t := &testing.T{}
	_, data := read(t)
	bundle, err := Parse(data)
	require.NoError(b, err)
	b.Run("canonical", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(data)))
		for range b.N {
			if _, err := bundle.canonical(); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("MarshalIndent", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(data)))
		for range b.N {
			if _, err := bundle.canonicalSlow(); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// indentCases are compact JSON documents for TestIndent and FuzzIndent.
var indentCases = []string{
	`{}`, `[]`, `{"a":{}}`, `{"a":[]}`, `[{},[],{"b":[1,2,{"c":null}]}]`,
	`{"s":"a\\"}`, `{"s":"\\\\\"x\\\\"}`, `{"s":"{[,:]}\\u003c"}`, `"lone"`, `12.5e3`, `true`,
	`{"k":"tiếng Việt","e":"","n":-0.5,"t":true,"f":false,"z":null}`,
}

// TestIndent: indent writes what json.Indent writes, for a read's bundle
// without its files' data and for documents whose strings hold quotes,
// backslashes and punctuation.
func TestIndent(t *testing.T) {
	_, data := read(t)
	var c bytes.Buffer
	require.NoError(t, json.Compact(&c, data))
	for _, doc := range append(indentCases, c.String()) {
		var want bytes.Buffer
		require.NoError(t, json.Indent(&want, []byte(doc), "", "  "))
		require.Equal(t, want.String(), string(indent(nil, []byte(doc))), doc)
	}
}

func FuzzIndent(f *testing.F) {
	for _, c := range indentCases {
		f.Add([]byte(c))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 1<<16 || !json.Valid(data) {
			return
		}
		var c, want bytes.Buffer
		require.NoError(t, json.Compact(&c, data))
		require.NoError(t, json.Indent(&want, c.Bytes(), "", "  "))
		require.Equal(t, want.String(), string(indent(nil, c.Bytes())))
	})
}
