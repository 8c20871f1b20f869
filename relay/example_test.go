package relay_test

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"time"

	"github.com/cancuoc/cancuoc/chip/sim"
	"github.com/cancuoc/cancuoc/crypto/pki/pkitest"
	"github.com/cancuoc/cancuoc/reader"
	"github.com/cancuoc/cancuoc/relay"
)

// A bank's server reads a CCCD that sits in a customer's device: the
// server runs reader.Read over the relay session, the device's Client only
// carries APDUs between the chip (here the software chip) and the server.
func Example() {
	now := time.Date(2025, 6, 1, 9, 0, 0, 0, time.UTC)
	p, err := pkitest.New(pkitest.Config{Seed: "relay example", Now: now, CSCA: pkitest.P256, DS: pkitest.P256})
	if err != nil {
		panic(err)
	}
	aaKey, err := pkitest.NewKey(pkitest.RSA2048, pkitest.SeedReader("relay example AA"))
	if err != nil {
		panic(err)
	}
	doc, err := sim.DemoCCCD()
	if err != nil {
		panic(err)
	}
	img, err := sim.Personalize(doc, &sim.PersonalizeConfig{Profile: sim.ProfileCCCD, AAKey: aaKey,
		Issuer: sim.Issuer{Signer: p.DS.Key, Cert: p.DS.Cert}, Rand: pkitest.SeedReader("relay example chip"), Time: func() time.Time { return now }})
	if err != nil {
		panic(err)
	}

	// The server side: authenticate the request first (not shown), then
	// Accept, reader.Read over the Session, Finish with the result.
	handler := func(w http.ResponseWriter, r *http.Request) {
		s, start, err := relay.Accept(context.Background(), w, r, nil)
		if err != nil {
			return // the client was told
		}
		defer s.Close()
		res, err := reader.Read(s.Context(), s, reader.CANKey(start.Key.CAN), &reader.Config{
			Trust: p.Trust(), Time: func() time.Time { return now.Add(time.Hour) },
			Progress: func(pr reader.Progress) {
				_ = s.Progress(relay.Progress{Stage: "read", File: pr.File.String(), Read: pr.Read, Total: pr.Total})
			},
		})
		if err != nil {
			// Cause says why the session ended, if it did first.
			_ = s.Fail(relay.CodeOf(cmp.Or(s.Cause(), err)), "the read did not complete")
			return
		}
		holder, _ := res.Document.Citizen()
		b, _ := json.Marshal(map[string]any{"verified": res.Verified(), "apdus": res.APDUs, "holder": holder.FullName})
		_ = s.Finish(b)
	}
	srv := httptest.NewServer(http.HandlerFunc(handler))
	defer srv.Close()

	// The device side: the card and the server's address.
	card, err := sim.New(img, nil)
	if err != nil {
		panic(err)
	}
	c := &relay.Client{URL: "ws" + strings.TrimPrefix(srv.URL, "http") + "/v1/relay"}
	out, err := c.Run(context.Background(), card, relay.Start{Key: relay.CANKey("012345")})
	if err != nil {
		panic(err)
	}
	fmt.Println(string(out))
	// Output:
	// {"apdus":17,"holder":"Nguyễn Văn An","verified":true}
}

// The frames are JSON text messages; Marshal checks a frame against the
// protocol's limits before it goes out.
func ExampleMarshal() {
	b, err := relay.Marshal(&relay.Command{ID: 1, APDU: []byte{0x00, 0xB0, 0x9C, 0x00, 0x00, 0x00, 0x00}, Timeout: 5 * time.Second})
	if err != nil {
		panic(err)
	}
	fmt.Println(string(b))
	f, err := relay.ParseClientFrame([]byte(`{"t":"rsp","id":1,"apdu":"kAA="}`))
	if err != nil {
		panic(err)
	}
	fmt.Printf("%s %d % X\n", f.Type(), f.(*relay.Response).ID, f.(*relay.Response).APDU)
	// Output:
	// {"t":"cmd","id":1,"apdu":"ALCcAAAAAA==","timeout_ms":5000}
	// rsp 1 90 00
}
