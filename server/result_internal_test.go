package server

import (
	"bytes"
	"encoding/json"
	"net/http/httptest"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/cancuoc/cancuoc/policy"
)

// TestWriteResult: the answer writeResult writes in parts (the evidence
// straight from its bytes) is MarshalJSON's, byte for byte, with its
// Content-Length; the evidence inside keeps its bytes (indenting, a
// '<' that json.Marshal would escape) and the rest is the result's JSON
// without HTML escaping.
func TestWriteResult(t *testing.T) {
	evidence := []byte("{\n  \"format\": \"cancuoc-evidence\",\n  \"s\": \"<&>\"\n}\n")
	base := Result{Version: ResultVersion, RequestID: "r1", Mode: "upload",
		Verdict:    Verdict{Policy: "bank", Outcome: Verified, Reasons: []policy.Reason{}},
		Holder:     &Holder{FullName: "Nguyễn <Văn> & A"},
		Face:       &Face{MIME: "image/jpeg", SourceFormat: "JPEG", Data: bytes.Repeat([]byte{0xFF, 0xD8, 0x3E}, 5000)},
		VerifiedAt: time.Date(2025, 2, 1, 0, 0, 0, 0, time.UTC)}
	for name, ev := range map[string][]byte{"with evidence": evidence, "without": nil} {
		t.Run(name, func(t *testing.T) {
			r := base
			r.Evidence = ev
			m, err := r.MarshalJSON()
			require.NoError(t, err)
			require.True(t, json.Valid(m))
			require.Contains(t, string(m), `"full_name":"Nguyễn <Văn> & A"`)
			if ev != nil {
				require.Contains(t, string(m), `,"evidence":`+string(bytes.TrimRight(ev, "\n"))+"}\n")
			} else {
				require.NotContains(t, string(m), `"evidence"`)
			}
			// Decoded, it is the result again (evidence bytes included).
			var back Result
			require.NoError(t, json.Unmarshal(m, &back))
			require.Equal(t, string(bytes.TrimRight(ev, "\n")), string(back.Evidence))
			require.Equal(t, r.Face.Data, back.Face.Data)

			for range 2 { // the second time with a pooled buffer
				rec := httptest.NewRecorder()
				require.NoError(t, writeResult(rec, &r))
				require.Equal(t, string(m), rec.Body.String())
				require.Equal(t, strconv.Itoa(len(m)), rec.Header().Get("Content-Length"))
				require.Equal(t, "application/json", rec.Header().Get("Content-Type"))
			}
		})
	}
}
