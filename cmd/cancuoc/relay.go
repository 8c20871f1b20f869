package main

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/cancuoc/cancuoc/apdu"
	"github.com/cancuoc/cancuoc/chip"
	"github.com/cancuoc/cancuoc/chip/sim"
	vpolicy "github.com/cancuoc/cancuoc/policy"
	"github.com/cancuoc/cancuoc/reader/pcsc"
	"github.com/cancuoc/cancuoc/relay"
)

func runRelay(e *env, args []string) error {
	fs := flags(e, "relay", "(--reader NAME | --sim CARD) --server URL [--can NNNNNN | --mrz DOC,YYMMDD,YYMMDD] [--api-key-file FILE] [--policy NAME] [--ca FILE] [--cert FILE --key FILE] [--json]")
	readerName := fs.String("reader", "", "PC/SC reader name (see 'cancuoc readers')")
	simPath := fs.String("sim", "", "card image to relay from the in-process simulator (tests)")
	server := fs.String("server", "", "the server's relay endpoint: wss://HOST/v1/relay, or wss://HOST for it (ws:// on loopback only)")
	mrzKey := fs.String("mrz", "", "MRZ key: document number, date of birth, date of expiry (YYMMDD)")
	can := fs.String("can", "", "card access number (PACE)")
	apiKeyFile := fs.String("api-key-file", "", "file holding the API key, sent as 'Authorization: Bearer KEY'")
	policy := fs.String("policy", "", "the server's verification policy (its default when empty)")
	caFile := fs.String("ca", "", "PEM certificates to trust for the server's TLS certificate (besides the system's)")
	certFile := fs.String("cert", "", "PEM client certificate for mutual TLS")
	keyFile := fs.String("key", "", "PEM private key of --cert")
	timeout := fs.Duration("timeout", 2*time.Minute, "give up after this long")
	asJSON := fs.Bool("json", false, "print only the server's result JSON")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("%w: unexpected argument %q", errUsage, fs.Arg(0))
	}
	if (*readerName == "") == (*simPath == "") {
		return fmt.Errorf("%w: give --reader or --sim", errUsage)
	}
	if *server == "" {
		return fmt.Errorf("%w: give --server URL", errUsage)
	}
	if (*certFile == "") != (*keyFile == "") {
		return fmt.Errorf("%w: give --cert and --key together", errUsage)
	}
	var files map[chip.File][]byte
	var card apdu.RawTransport
	if *simPath != "" {
		img, err := sim.Load(*simPath)
		if err != nil {
			return err
		}
		c, err := sim.New(img, nil)
		if err != nil {
			return err
		}
		card, files = c, img.Files
	} else {
		pc, err := pcsc.Establish()
		if err != nil {
			return err
		}
		defer pc.Close()
		c, err := pc.Connect(*readerName)
		if err != nil {
			return err
		}
		defer c.Close()
		card = c
	}
	key, err := relayKey(files, *mrzKey, *can)
	if err != nil {
		return err
	}
	// The server's base URL stands for its relay endpoint.
	if u, err := url.Parse(*server); err == nil && (u.Path == "" || u.Path == "/") && u.RawQuery == "" {
		u.Path = "/v1/relay"
		*server = u.String()
	}
	client := &relay.Client{URL: *server}
	if *apiKeyFile != "" {
		b, err := readFileMax(*apiKeyFile, maxCredentialSize)
		if err != nil {
			return err
		}
		client.APIKey = strings.TrimSpace(string(b))
		if client.APIKey == "" || strings.ContainsAny(client.APIKey, "\r\n") {
			return fmt.Errorf("%w: --api-key-file: want one line with the key", errUsage)
		}
	}
	if *caFile != "" || *certFile != "" {
		tc, err := tlsConfig(*caFile, *certFile, *keyFile)
		if err != nil {
			return err
		}
		client.HTTPClient = &http.Client{Transport: &http.Transport{TLSClientConfig: tc, Proxy: http.ProxyFromEnvironment}}
	}
	if !*asJSON {
		client.Progress = func(p relay.Progress) {
			if p.Stage == "read" && p.Total > 4096 {
				fmt.Fprintf(e.stderr, "\r%s %d/%d bytes", p.File, p.Read, p.Total)
				if p.Read == p.Total {
					fmt.Fprintln(e.stderr)
				}
			}
		}
	}
	ctx, cancel := context.WithTimeout(e.ctx, *timeout)
	defer cancel()
	res, err := client.Run(ctx, card, relay.Start{Key: key, Policy: *policy})
	if err != nil {
		var de *relay.DialError
		if errors.As(err, &de) && de.Status == http.StatusUnauthorized {
			return fmt.Errorf("the server refused the API key (HTTP 401)")
		}
		return err
	}
	var out bytes.Buffer
	if *asJSON {
		out.Write(res)
	} else if err := json.Indent(&out, res, "", "  "); err != nil {
		return err
	}
	out.WriteByte('\n')
	if _, err := e.stdout.Write(out.Bytes()); err != nil {
		return err
	}
	var v struct {
		Verdict struct {
			Policy  string           `json:"policy"`
			Outcome string           `json:"outcome"`
			Reasons []vpolicy.Reason `json:"reasons"`
		} `json:"verdict"`
	}
	_ = json.Unmarshal(res, &v)
	if !*asJSON {
		fmt.Fprintf(e.stderr, "Verdict: %s (policy %s)\n", orUnknown(v.Verdict.Outcome), orUnknown(v.Verdict.Policy))
		for _, r := range v.Verdict.Reasons {
			fmt.Fprintf(e.stderr, "  %s\n", r)
		}
	}
	if v.Verdict.Outcome != "verified" {
		return errFailedCheck
	}
	return nil
}

func orUnknown(s string) string {
	if s == "" {
		return "unknown"
	}
	return s
}

// relayKey is keyOf for the start frame: --can, --mrz, or a simulated
// card's own DG1.
func relayKey(files map[chip.File][]byte, mrzFlag, canFlag string) (relay.AccessKey, error) {
	if _, err := keyOf(files, mrzFlag, canFlag); err != nil {
		return relay.AccessKey{}, err
	}
	if canFlag != "" {
		return relay.CANKey(canFlag), nil
	}
	if mrzFlag != "" {
		parts := strings.Split(mrzFlag, ",")
		return relay.MRZKey(strings.ToUpper(strings.TrimSpace(parts[0])), strings.TrimSpace(parts[1]), strings.TrimSpace(parts[2])), nil
	}
	d, err := chip.ParseDG1(files[chip.EFDG1])
	if err != nil {
		return relay.AccessKey{}, err
	}
	m := d.MRZ
	return relay.MRZKey(m.DocumentNumber, string(m.DateOfBirth), string(m.DateOfExpiry)), nil
}

// tlsConfig trusts the system's roots and caFile, and presents the client
// certificate when given.
func tlsConfig(caFile, certFile, keyFile string) (*tls.Config, error) {
	tc := &tls.Config{MinVersion: tls.VersionTLS12}
	if caFile != "" {
		pem, err := readFileMax(caFile, maxCredentialSize)
		if err != nil {
			return nil, err
		}
		pool, err := x509.SystemCertPool()
		if err != nil || pool == nil {
			pool = x509.NewCertPool()
		}
		if !pool.AppendCertsFromPEM(pem) {
			return nil, fmt.Errorf("%w: --ca %s: no PEM certificate in it", errUsage, caFile)
		}
		tc.RootCAs = pool
	}
	if certFile != "" {
		cert, err := tls.LoadX509KeyPair(certFile, keyFile)
		if err != nil {
			return nil, err
		}
		tc.Certificates = []tls.Certificate{cert}
	}
	return tc, nil
}
