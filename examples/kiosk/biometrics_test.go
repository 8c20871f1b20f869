package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/cancuoc/cancuoc/chip/sim"
	"github.com/cancuoc/cancuoc/crypto/aa"
	"github.com/cancuoc/cancuoc/crypto/cvc"
	"github.com/cancuoc/cancuoc/crypto/pki/pkitest"
)

// TestKioskBiometricsInBrowser: the card of the Identity Law 2023 on the
// kiosk, looked at in headless Chromium. With inspection system credentials
// the page lists the fingerprints and irises read after Terminal
// Authentication (count, format, size); without them it says they were not
// read and why, and the card is still verified.
func TestKioskBiometricsInBrowser(t *testing.T) {
	chromium := needTool(t, "chromium", "chromium")
	now := time.Now()
	p, err := pkitest.New(pkitest.Config{Seed: "kiosk 2023", Now: now.Add(-time.Hour), CSCA: pkitest.P256, DS: pkitest.P256})
	require.NoError(t, err)
	h, err := cvc.NewHierarchy(&cvc.HierarchyConfig{Date: now.Add(-time.Hour), Access: cvc.ReadDG3 | cvc.ReadDG4, Rand: rand.Reader})
	require.NoError(t, err)
	doc, err := sim.DemoCCCD2023()
	require.NoError(t, err)
	img, err := sim.Personalize(doc, &sim.PersonalizeConfig{Profile: sim.ProfileCCCD2023, Issuer: sim.Issuer{Signer: p.DS.Key, Cert: p.DS.Cert},
		Time: func() time.Time { return now }, TrustPoints: [][]byte{h.CVCA.Raw}})
	require.NoError(t, err)
	dir := t.TempDir()
	card := filepath.Join(dir, "cccd-2023.card")
	require.NoError(t, img.Save(card))
	trust := filepath.Join(dir, "trust")
	require.NoError(t, os.Mkdir(trust, 0o755))
	require.NoError(t, os.WriteFile(filepath.Join(trust, "csca.der"), p.CSCA.Cert.Raw, 0o644))
	eac := filepath.Join(dir, "eac")
	require.NoError(t, os.Mkdir(eac, 0o755))
	isKey, err := aa.MarshalPrivateKey(h.ISKey)
	require.NoError(t, err)
	for name, b := range map[string][]byte{"dv.cvcert": h.DV.Raw, "is.cvcert": h.IS.Raw, "is-key.der": isKey} {
		require.NoError(t, os.WriteFile(filepath.Join(eac, name), b, 0o600))
	}

	dump := func(base string) string {
		ctx, cancel := context.WithTimeout(context.Background(), 25*time.Second)
		defer cancel()
		cmd := headless(ctx, t, chromium, "--dump-dom", base+"/")
		var errb bytes.Buffer
		cmd.Stderr = &errb
		dom, err := cmd.Output()
		require.NoError(t, err, errb.String())
		return string(dom)
	}
	section := func(page, id string) string {
		i := strings.Index(page, `<div class="bio" id="`+id+`">`)
		require.GreaterOrEqual(t, i, 0, "no %s section", id)
		j := strings.Index(page[i:], "</div>")
		return page[i : i+j]
	}

	// With Terminal Authentication.
	page := dump(startKiosk(t, "--sim", card, "--trust", trust, "--terminal", eac))
	require.Contains(t, page, `id="verdict">ĐÃ XÁC THỰC <span class="en">VERIFIED</span>`)
	require.Contains(t, page, `<th>terminal authentication</th><td>passed</td>`)
	dg3 := section(page, "dg3")
	require.Contains(t, dg3, "read after Terminal Authentication, hash verified</span>: 2</p>")
	require.Contains(t, dg3, "ngón trỏ phải (right index): JPEG 160×200, ")
	require.Contains(t, dg3, "ngón trỏ trái (left index): JPEG 160×200, ")
	dg4 := section(page, "dg4")
	require.Contains(t, dg4, "hash verified</span>: 2</p>")
	require.Contains(t, dg4, "mắt phải (right eye): JPEG 640×480, ")
	require.Contains(t, dg4, "mắt trái (left eye): JPEG 640×480, ")

	// Without: refused, and still verified.
	page = dump(startKiosk(t, "--sim", card, "--trust", trust))
	require.Contains(t, page, `id="verdict">ĐÃ XÁC THỰC <span class="en">VERIFIED</span>`)
	for _, id := range []string{"dg3", "dg4"} {
		s := section(page, id)
		require.Contains(t, s, `<p class="refused">Không đọc được <span class="en">not read</span>: cần xác thực thiết bị đọc (Terminal Authentication)`)
		require.Contains(t, s, "no --terminal credentials")
		require.NotContains(t, s, "<li>")
	}
}
