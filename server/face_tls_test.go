package server_test

import (
	"bytes"
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"image"
	"image/color"
	"image/png"
	"io"
	"math/big"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/cancuoc/cancuoc/chip"
	"github.com/cancuoc/cancuoc/chip/sim"
	"github.com/cancuoc/cancuoc/crypto/aa"
	"github.com/cancuoc/cancuoc/crypto/pki/pkitest"
	"github.com/cancuoc/cancuoc/photo"
	"github.com/cancuoc/cancuoc/server"
)

// TestUploadJPEG2000Face: a CCCD whose DG2 holds a JPEG 2000 codestream;
// the result's face is a PNG of it (opj_decompress), and without the tool
// a note says why there is none.
func TestUploadJPEG2000Face(t *testing.T) {
	compress := needTool(t, "opj_compress", "libopenjp2-tools")
	tool := needTool(t, photo.Tool, "libopenjp2-tools")
	w := newWorld(t)
	dir := t.TempDir()
	img := image.NewRGBA(image.Rect(0, 0, 60, 80))
	for y := range 80 {
		for x := range 60 {
			img.Set(x, y, color.RGBA{120, 90, uint8(x * 3), 255})
		}
	}
	var b bytes.Buffer
	require.NoError(t, png.Encode(&b, img))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "face.png"), b.Bytes(), 0o600))
	out, err := exec.Command(compress, "-i", filepath.Join(dir, "face.png"), "-o", filepath.Join(dir, "face.j2k")).CombinedOutput()
	require.NoError(t, err, string(out))
	j2k, err := os.ReadFile(filepath.Join(dir, "face.j2k"))
	require.NoError(t, err)

	doc, err := sim.DemoCCCD()
	require.NoError(t, err)
	key, err := pkitest.NewKey(pkitest.RSA2048, pkitest.SeedReader("server test AA"))
	require.NoError(t, err)
	card, err := sim.PersonalizeProfile(doc, &sim.PersonalizeConfig{Profile: sim.ProfileCCCD,
		Issuer: sim.Issuer{Signer: w.pki.DS.Key, Cert: w.pki.DS.Cert}, Time: func() time.Time { return time.Now().Add(-time.Minute) }, AAKey: key}, sim.J2KFaceProfile(j2k))
	require.NoError(t, err)
	files := map[chip.File][]byte{}
	for f, d := range card.Files {
		if f == chip.EFCOM || f == chip.EFSOD || (f.DataGroup() > 0 && f != chip.EFDG3 && f != chip.EFDG4) {
			files[f] = d
		}
	}
	signer, err := aa.NewChip(key, &aa.ChipConfig{Hash: crypto.SHA256})
	require.NoError(t, err)

	for _, withTool := range []bool{true, false} {
		cfg := server.Config{}
		if withTool {
			cfg.Photo = photo.Converter{Tool: tool}
		}
		s := start(t, cfg)
		c := newClient(t, bankKey)
		ch := c.challenge(s.url)
		sig, err := signer.Sign(ch.Nonce)
		require.NoError(t, err)
		code, body := c.verify(s.url, files, ch.Token, sig)
		require.Equal(t, http.StatusOK, code)
		r := result(t, body)
		require.Equal(t, server.Verified, r.Verdict.Outcome, r.Verdict.Reasons)
		require.Contains(t, r.Face.SourceFormat, "JPEG 2000")
		if !withTool {
			require.Empty(t, r.Face.Data)
			require.Contains(t, r.Face.Note, "libopenjp2-tools")
			continue
		}
		require.True(t, r.Face.Converted)
		require.Equal(t, "image/png", r.Face.MIME)
		got, err := png.Decode(bytes.NewReader(r.Face.Data))
		require.NoError(t, err)
		require.Equal(t, image.Rect(0, 0, 60, 80), got.Bounds())
		require.Equal(t, [2]int{60, 80}, [2]int{r.Face.Width, r.Face.Height})
	}
}

// certificate makes a certificate for name signed by parent (self-signed
// when parent is nil).
func certificate(t testing.TB, name string, isCA bool, parent *x509.Certificate, parentKey *ecdsa.PrivateKey) (*x509.Certificate, *ecdsa.PrivateKey) {
	t.Helper()
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	tmpl := &x509.Certificate{SerialNumber: big.NewInt(time.Now().UnixNano()), Subject: pkix.Name{CommonName: name},
		NotBefore: time.Now().Add(-time.Hour), NotAfter: time.Now().Add(time.Hour), IsCA: isCA, BasicConstraintsValid: true,
		KeyUsage:    x509.KeyUsageDigitalSignature | x509.KeyUsageCertSign,
		ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth, x509.ExtKeyUsageClientAuth}, IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1)}}
	if parent == nil {
		parent, parentKey = tmpl, key
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, parent, &key.PublicKey, parentKey)
	require.NoError(t, err)
	c, err := x509.ParseCertificate(der)
	require.NoError(t, err)
	return c, key
}

// TestTLSClientCertificates: over TLS, a client authenticates with a
// certificate of the client CA (its common name is its id), or with an API
// key; without either it is refused.
func TestTLSClientCertificates(t *testing.T) {
	w := newWorld(t)
	ca, caKey := certificate(t, "test client CA", true, nil, nil)
	srvCert, srvKey := certificate(t, "127.0.0.1", false, ca, caKey)
	cliCert, cliKey := certificate(t, "branch-42", false, ca, caKey)
	pool := x509.NewCertPool()
	pool.AddCert(ca)

	srv, err := server.New(&server.Config{TrustPath: w.trust, ChallengeKeys: [][]byte{testKey}, APIKeys: apiKeys(t)})
	require.NoError(t, err)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- srv.Serve(ctx, ln, &tls.Config{MinVersion: tls.VersionTLS12, ClientCAs: pool, ClientAuth: tls.VerifyClientCertIfGiven,
			Certificates: []tls.Certificate{{Certificate: [][]byte{srvCert.Raw}, PrivateKey: srvKey}}})
	}()
	defer func() { cancel(); require.NoError(t, <-done) }()
	base := "https://" + ln.Addr().String()

	client := func(cert *tls.Certificate) *http.Client {
		cfg := &tls.Config{RootCAs: pool}
		if cert != nil {
			cfg.Certificates = []tls.Certificate{*cert}
		}
		return &http.Client{Transport: &http.Transport{TLSClientConfig: cfg}, Timeout: 10 * time.Second}
	}
	post := func(hc *http.Client, key string) (int, []byte) {
		req, _ := http.NewRequest(http.MethodPost, base+"/v1/challenge", nil)
		if key != "" {
			req.Header.Set("Authorization", "Bearer "+key)
		}
		resp, err := hc.Do(req)
		require.NoError(t, err)
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, b
	}
	withCert := client(&tls.Certificate{Certificate: [][]byte{cliCert.Raw}, PrivateKey: cliKey})
	code, b := post(withCert, "")
	require.Equal(t, http.StatusOK, code, string(b))
	var ch server.Challenge
	require.NoError(t, json.Unmarshal(b, &ch))

	// The challenge is bound to the certificate's client: an API key
	// client cannot redeem it.
	ct, body := uploadBody(t, w.cccd.files, ch.Token, w.cccd.sign(t, ch.Nonce))
	req, _ := http.NewRequest(http.MethodPost, base+"/v1/verify", bytes.NewReader(body))
	req.Header.Set("Content-Type", ct)
	req.Header.Set("Authorization", "Bearer "+bankKey)
	resp, err := client(nil).Do(req)
	require.NoError(t, err)
	rb, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	require.Equal(t, http.StatusForbidden, resp.StatusCode)
	require.Equal(t, "challenge_foreign", errorCode(t, rb))
	// The certificate's client can.
	req, _ = http.NewRequest(http.MethodPost, base+"/v1/verify", bytes.NewReader(body))
	req.Header.Set("Content-Type", ct)
	resp, err = withCert.Do(req)
	require.NoError(t, err)
	rb, _ = io.ReadAll(resp.Body)
	resp.Body.Close()
	require.Equal(t, http.StatusOK, resp.StatusCode, string(rb))
	require.Equal(t, server.Verified, result(t, rb).Verdict.Outcome)

	code, _ = post(client(nil), bankKey)
	require.Equal(t, http.StatusOK, code, "an API key over TLS")
	code, _ = post(client(nil), "")
	require.Equal(t, http.StatusUnauthorized, code)
	// A certificate of another CA authenticates nobody (Go's client does
	// not even send one the server's CA list does not name).
	other, otherKey := certificate(t, "intruder", false, nil, nil)
	code, _ = post(client(&tls.Certificate{Certificate: [][]byte{other.Raw}, PrivateKey: otherKey}), "")
	require.Equal(t, http.StatusUnauthorized, code)
}
