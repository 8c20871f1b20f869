package issuance

import (
	"bytes"
	"os"
	"testing"
)

// FuzzDecodeHolder: holder records from an issuance queue never panic the
// decoder or the document builder; errors are ErrHolder or an I/O error.
func FuzzDecodeHolder(f *testing.F) {
	for _, name := range []string{"testdata/holder-cccd.json", "testdata/holder-cccd-2023.json"} {
		if b, err := os.ReadFile(name); err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte(`{"profile":"icao-passport","document_number":"L898902C3","issuing_state":"UTO","nationality":"UTO","surname":"A","given_names":"B","date_of_birth":"1974-08-12","sex":"F","date_of_expiry":"2032-04-15"}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		h, err := DecodeHolder(bytes.NewReader(data))
		if err != nil {
			return
		}
		h.noFiles = true // no file system access from fuzzed paths
		_, _ = h.Document()
	})
}
