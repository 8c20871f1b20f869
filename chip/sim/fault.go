package sim

import (
	"time"

	"github.com/cancuoc/cancuoc/apdu"
	"github.com/cancuoc/cancuoc/chip"
	"github.com/cancuoc/cancuoc/tlv"
)

// Faults make a card misbehave the way real cards and readers do, for tests
// of the code that reads them. APDU numbers count from 1 since the card was
// made or last powered on.
type Faults struct {
	// TearAfterAPDUs tears the card away after answering that many APDUs:
	// every later exchange fails with ErrRemoved until PowerOn.
	TearAfterAPDUs int
	// TearAfterBytes tears the card away once its responses reached that
	// many bytes.
	TearAfterBytes int
	// CorruptResponse flips one bit in the first byte of the response to
	// that APDU (a transmission error the reader's checks must catch).
	CorruptResponse int
	// WrongMAC flips one bit of the last byte of the MAC (the byte before
	// the status word) in the response to that APDU, from that APDU on.
	WrongMAC int
	// LyingFile serves that file cut to three quarters of its length:
	// its TLV header announces more bytes than the card gives (a torn
	// personalization, or a file that lies about its length).
	LyingFile chip.File
	// TamperedFile serves that file with its last byte changed, so that
	// it no longer matches its hash in EF.SOD (an edited data group, or
	// with chip.EFSOD a broken signature).
	TamperedFile chip.File
	// Clone makes the chip a clone: the files (DG14, DG15) are the
	// original's, the Chip and Active Authentication private keys are not.
	// After Chip Authentication it derives other session keys than the
	// reader's and answers under them, without checking the command's MAC
	// (it could not): the reader sees a whole response whose MAC fails,
	// which is cryptographic evidence of a clone.
	Clone bool
	// CloneRejectsSM, with Clone, makes the clone check the command's MAC
	// as a chip should: it answers a plain 6988, as a genuine chip does
	// whose command was spoiled on the way in. That is no evidence of a
	// clone: the reader reports the read incomplete (never verified).
	CloneRejectsSM bool
	// KillSession answers that APDU with a plain 6988 and forgets the
	// session keys, as a chip does that found the command's secure
	// messaging wrong (a weak field, a bit lost on the way in).
	KillSession int
	// DeniedFile answers READ BINARY of that file with 6982 (security
	// status not satisfied), protected when the session is: a data group
	// the chip will not give.
	DeniedFile chip.File
	// AbsentFile serves the image without that file (6A82), although
	// EF.SOD lists it.
	AbsentFile chip.File
	// NoDO99 leaves DO '99' (the protected status word) out of the
	// protected response to that APDU: a response a reader must take for
	// a failed session, not for a clone.
	NoDO99 int
	// ChipError answers that APDU with ChipErrorSW (6F00 when zero),
	// protected when the session is, without running the command: a
	// chip's transient failure (6F00 no precise diagnosis, 6581 memory
	// failure) that a reader must take for an incomplete step, not for a
	// verdict on the chip.
	ChipError   int
	ChipErrorSW apdu.StatusWord
	// Delay holds every response back that long (a slow chip or a weak
	// field); a context that ends first cancels the exchange.
	Delay time.Duration
}

// apply changes response n as the faults say. out is the card's own buffer.
func (f *Faults) apply(n int, out []byte) []byte {
	if f.CorruptResponse == n && len(out) > 0 {
		out[0] ^= 0x01
	}
	if f.WrongMAC > 0 && n >= f.WrongMAC && len(out) >= 12 {
		out[len(out)-3] ^= 0x01
	}
	return out
}

// files returns the files the card serves: the image's, with LyingFile and
// TamperedFile changed on copies.
func (f *Faults) files(in map[chip.File][]byte) map[chip.File][]byte {
	if in[f.LyingFile] == nil && in[f.TamperedFile] == nil && in[f.AbsentFile] == nil {
		return in
	}
	out := make(map[chip.File][]byte, len(in))
	for k, v := range in {
		out[k] = v
	}
	if b := out[f.LyingFile]; b != nil {
		out[f.LyingFile] = b[:len(b)*3/4]
	}
	if b := out[f.TamperedFile]; len(b) > 0 {
		b = append([]byte(nil), b...)
		b[len(b)-1] ^= 0x01
		out[f.TamperedFile] = b
	}
	if f.AbsentFile != 0 {
		delete(out, f.AbsentFile)
	}
	return out
}

// noDO99 drops DO '99' from protected response n when the fault says so.
func (f *Faults) noDO99(n int, r apdu.Response) apdu.Response {
	if f.NoDO99 != n {
		return r
	}
	out := make([]byte, 0, len(r.Data))
	rd := tlv.NewReader(r.Data)
	for rd.Next() {
		if do := rd.TLV(); do.Tag != 0x99 {
			out = append(out, do.Raw...)
		}
	}
	return apdu.Response{Data: out, SW: r.SW}
}
