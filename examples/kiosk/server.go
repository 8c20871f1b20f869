package main

import (
	"embed"
	"encoding/json"
	"html/template"
	"net"
	"net/http"
	"strconv"
	"time"
)

// States of the page.
const (
	stateWaiting = "waiting" // no card (yet)
	stateReading = "reading"
	stateDone    = "done"
	stateError   = "error"
)

// view is what the page shows: one read, or a state without one.
type view struct {
	Seq     int // changes on every publish; the page reloads when it does
	State   string
	Message string // for stateError
	CanRead bool   // a simulated card, or a card lying on the reader: the page has a read button
	At      time.Time

	Verified    bool
	Verdict     string // "verified", "not verified", "incomplete"
	Policy      string
	Reasons     []reasonView
	Access      string
	Trust       string
	Holder      holder
	Photo       *photo
	Checks      []checkView
	PassiveAuth []checkView
	DataGroups  []string
	// Findings are the Doc 9303 conformance findings of the read.
	Findings   []finding
	Biometrics []biometric
}

// finding is one conformance finding as the page shows it: Class is
// "security", "encoding" or "known" (a deviation the issuer published).
type finding struct {
	Rule, Source, Object, Detail, Class string
}

type holder struct {
	from                                                                 int // the data group of the fields: 13, 1, or 0 for none
	FullName, IDNumber, DateOfBirth, Sex, PlaceOfResidence, DateOfExpiry string
}

type checkView struct {
	Name, Status, Error string
}

// reasonView is one reason of the verdict (package policy).
type reasonView struct {
	Severity, Code, Subject, Detail string
}

//go:embed static
var static embed.FS

var page = template.Must(template.ParseFS(static, "static/page.html"))

// handler serves the page, the photo, the state the page polls and the read
// button.
func (k *kiosk) handler(addr net.Addr) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", k.servePage)
	mux.HandleFunc("GET /photo", k.servePhoto)
	mux.HandleFunc("GET /state", k.serveState)
	mux.HandleFunc("POST /read", k.serveRead)
	mux.Handle("GET /static/", http.FileServerFS(static))
	// Refuse cross-site POSTs (another site in the kiosk's browser pressing
	// the read button), and requests for another host name: a DNS
	// rebinding page must not read the holder's data from localhost.
	return hostCheck(addr, secure(http.NewCrossOriginProtection().Handler(mux)))
}

// secure adds headers that keep the page to itself: no script, style or image
// from elsewhere, no framing, no caching of personal data.
func secure(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Security-Policy", "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
		w.Header().Set("X-Content-Type-Options", "nosniff")
		w.Header().Set("Referrer-Policy", "no-referrer")
		w.Header().Set("Cache-Control", "no-store")
		h.ServeHTTP(w, r)
	})
}

// hostCheck accepts only the Host names of the listening address, and the
// loopback names when it is a loopback address.
func hostCheck(addr net.Addr, h http.Handler) http.Handler {
	ta, _ := addr.(*net.TCPAddr)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		host, _, err := net.SplitHostPort(r.Host)
		if err != nil {
			host = r.Host
		}
		ok := host == "localhost"
		if ip := net.ParseIP(host); ip != nil {
			ok = ip.IsLoopback() || (ta != nil && ip.Equal(ta.IP)) || (ta != nil && ta.IP.IsUnspecified())
		} else if ta != nil && !ta.IP.IsLoopback() {
			ok = true // listening beyond the loopback on purpose: any name
		}
		if !ok {
			http.Error(w, "unknown host", http.StatusForbidden)
			return
		}
		h.ServeHTTP(w, r)
	})
}

func (k *kiosk) servePage(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	if err := page.Execute(w, k.current()); err != nil {
		http.Error(w, "page", http.StatusInternalServerError)
	}
}

func (k *kiosk) servePhoto(w http.ResponseWriter, r *http.Request) {
	v := k.current()
	if v.Photo == nil {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", v.Photo.MIME)
	w.Header().Set("Content-Length", strconv.Itoa(len(v.Photo.Data)))
	_, _ = w.Write(v.Photo.Data)
}

// serveState tells the page whether something new happened.
func (k *kiosk) serveState(w http.ResponseWriter, r *http.Request) {
	v := k.current()
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]any{"seq": v.Seq, "state": v.State})
}

// serveRead reads the simulated card again (the page's button).
func (k *kiosk) serveRead(w http.ResponseWriter, r *http.Request) {
	switch {
	case k.img != nil:
		k.readSim(r.Context())
	case !k.readAgain(r.Context()):
		http.Error(w, "reads start when a card is placed on the reader", http.StatusConflict)
		return
	}
	http.Redirect(w, r, "/", http.StatusSeeOther)
}
