package main

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"time"

	"github.com/cancuoc/cancuoc/crypto/pki"
)

// errTooLarge: a file given to the tool is larger than what it may be.
var errTooLarge = errors.New("file too large")

// readFileMax reads a whole file of at most max bytes; a larger one is
// refused before it is read whole (it may be a device, a pipe or a 1 GiB
// mistake).
func readFileMax(path string, max int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if st, err := f.Stat(); err == nil && st.Mode().IsRegular() && st.Size() > max {
		return nil, fmt.Errorf("%s: %w: %d bytes, more than the %d it may have", path, errTooLarge, st.Size(), max)
	}
	b, err := io.ReadAll(io.LimitReader(f, max+1))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if int64(len(b)) > max {
		return nil, fmt.Errorf("%s: %w: more than the %d bytes it may have", path, errTooLarge, max)
	}
	return b, nil
}

// maxCredentialSize bounds a certificate or key file (CV certificates,
// PEM keys): a few kilobytes in practice.
const maxCredentialSize = 1 << 20

// maxDeviationListSize bounds a deviation list file (a CMS object of up to
// conform.MaxDeviations entries): as large as a master list may be.
const maxDeviationListSize = pki.MaxMasterListSize

// loadTrust loads the --trust flag's directory or file, naming the flag in
// its errors.
func loadTrust(path string, now time.Time, selfContainedML bool) (*pki.TrustStore, error) {
	t, _, err := pki.LoadTrust(path, &pki.LoadConfig{Time: func() time.Time { return now }, AllowSelfContainedMasterList: selfContainedML})
	if errors.Is(err, pki.ErrSelfContainedMasterList) {
		return nil, fmt.Errorf("--trust %s: a master list file alone is anchored only in itself: give a directory with the CSCA certificates, or add --self-contained-master-list if you obtained the list over an authenticated channel", path)
	}
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("--trust %s: no such directory or file (want the trust/ directory of 'cancuoc pki init', a CSCA directory, or a master list with --self-contained-master-list)", path)
	}
	if err != nil {
		return nil, fmt.Errorf("--trust %s: %w", path, err)
	}
	return t, nil
}
