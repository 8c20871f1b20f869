// Package secretcheck is for tests: it prints a value every way a program
// might (each fmt verb, inside a struct, json.Marshal, log/slog's JSON and
// text handlers) and fails the test when a secret shows in any of them.
package secretcheck

import (
	"bytes"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

// Verbs are the fmt verbs a value is printed with.
var Verbs = []string{"%v", "%+v", "%#v", "%s", "%d", "%x", "%X", "%q", "%o", "%b", "%c", "%U", "%e", "%t"}

// Outputs returns every printing of v: each verb on v and on a struct
// holding v, fmt.Sprint and Sprintln, json.Marshal of v and of a struct
// holding v (an error is printed as such), and a log line of each slog
// handler with v as an attribute value and inside a group.
func Outputs(v any) map[string]string {
	out := map[string]string{}
	wrapped := struct{ V any }{v}
	for _, verb := range Verbs {
		out[verb] = fmt.Sprintf(verb, v)
		out["struct "+verb] = fmt.Sprintf(verb, wrapped)
		out["slice "+verb] = fmt.Sprintf(verb, []any{v})
	}
	out["Sprint"] = fmt.Sprint(v)
	out["Sprintln"] = fmt.Sprintln(v)
	for name, x := range map[string]any{"json": v, "json struct": wrapped, "json map": map[string]any{"v": v}} {
		b, err := json.Marshal(x)
		if err != nil {
			b = []byte("error: " + err.Error())
		}
		out[name] = string(b)
	}
	for name, h := range map[string]func(*bytes.Buffer) slog.Handler{
		"slog json": func(b *bytes.Buffer) slog.Handler { return slog.NewJSONHandler(b, nil) },
		"slog text": func(b *bytes.Buffer) slog.Handler { return slog.NewTextHandler(b, nil) },
	} {
		var buf bytes.Buffer
		l := slog.New(h(&buf))
		l.Info("m", "v", v)
		l.Info("m", slog.Any("v", v), slog.Group("g", "v", v))
		l.With("v", v).Info("m")
		out[name] = buf.String()
	}
	return out
}

// Forms returns the ways a secret's bytes may appear in output: as text,
// in hex (both cases), base64, and as Go prints byte slices and arrays with
// %v, %d, %#v, %q and %o.
func Forms(secret []byte) []string {
	if len(secret) < 4 {
		panic("secretcheck: a secret shorter than 4 bytes would match by chance")
	}
	n := min(len(secret), 6)
	dec := make([]string, n)
	goHex := make([]string, n)
	oct := make([]string, n)
	for i, c := range secret[:n] {
		dec[i] = strconv.Itoa(int(c))
		goHex[i] = fmt.Sprintf("0x%x", c)
		oct[i] = strconv.FormatInt(int64(c), 8)
	}
	q := strconv.Quote(string(secret))
	return []string{
		string(secret),
		hex.EncodeToString(secret), strings.ToUpper(hex.EncodeToString(secret)),
		base64.StdEncoding.EncodeToString(secret), base64.RawURLEncoding.EncodeToString(secret),
		strings.Join(dec, " "), strings.Join(goHex, ", "), strings.Join(oct, " "),
		q[1 : len(q)-1],
	}
}

// NoSecret fails t when any printing of v (see Outputs) holds any of the
// forms, naming the printing.
func NoSecret(t testing.TB, name string, v any, forms ...string) {
	t.Helper()
	for how, s := range Outputs(v) {
		for _, f := range forms {
			if f != "" {
				assert.NotContains(t, s, f, "%s: %s shows the secret %q", name, how, f)
			}
		}
	}
}
