package reader

import (
	"context"
	"errors"
	"fmt"

	"github.com/cancuoc/cancuoc/apdu"
	"github.com/cancuoc/cancuoc/chip"
	"github.com/cancuoc/cancuoc/crypto/sm"
	"github.com/cancuoc/cancuoc/tlv"
)

// Errors of file reading. They come wrapped in a *FileError naming the file.
var (
	// ErrFileNotFound: the card has no such file ('6A82').
	ErrFileNotFound = errors.New("file not found on the card")
	// ErrAccessDenied: the card refused to read the file ('6982'), as it
	// does for DG3 and DG4 without Terminal Authentication.
	ErrAccessDenied = errors.New("access to the file denied")
	// ErrTruncated: the file ended before the length its TLV header
	// announced (a torn write, or a file that lies about its length).
	ErrTruncated = errors.New("file shorter than its TLV length")
	// ErrFileTooLarge: the TLV header announces more than the file's limit.
	ErrFileTooLarge = errors.New("file larger than its limit")
)

// FileError says which file could not be read, at which offset.
type FileError struct {
	File   chip.File
	Offset int
	Err    error
}

func (e *FileError) Error() string {
	return fmt.Sprintf("reader: %s at offset %d: %v", e.File, e.Offset, e.Err)
}

func (e *FileError) Unwrap() error { return e.Err }

// Progress reports how far the reading of one file got.
type Progress struct {
	File  chip.File
	Read  int // bytes read so far
	Total int // the file's length, known after the first response
}

// chunker knows how many bytes one READ BINARY may ask for. Its sizes
// count plain data, after secure messaging is taken off.
type chunker struct {
	// limit is the largest response data field (wrapped, with SM) the card
	// and the link accept; short is true when only short APDUs may be
	// sent.
	limit int
	short bool
	// block is the secure messaging cipher's block size, 0 without SM.
	block int
}

// size returns the largest plain Ne whose response fits the limit.
func (c chunker) size() int {
	limit := c.limit
	if c.short && limit > 256 {
		limit = 256
	}
	if c.block == 0 {
		return limit
	}
	return sm.MaxPlainResponse(limit, c.block)
}

// shrink moves to the next smaller limit after a card refused one: from
// extended sizes by quarters down to 1 KiB, then to short length, then in
// steps of 32 bytes (256, 224, ..., 32) as real readers do with cards
// that take less than 256 bytes per response. The size a card took stays
// for the rest of the session.
func (c *chunker) shrink() bool {
	switch {
	case c.short && c.limit > minShortLimit:
		c.limit = (c.limit - 1) / 32 * 32
	case c.short:
		return false
	case c.limit > 1024:
		c.limit = max(c.limit/4, 1024)
	default:
		c.limit, c.short = 256, true
	}
	return true
}

// toShort moves to short length at once: the card refused extended length
// itself (a plain 6700 to a protected extended command), not a size.
func (c *chunker) toShort() bool {
	if c.short {
		return c.shrink()
	}
	c.limit, c.short = min(c.limit, 256), true
	return true
}

// minShortLimit is the smallest response limit shrink tries.
const minShortLimit = 32

// fileReader reads whole files with as few APDUs as the card allows.
type fileReader struct {
	t        apdu.Transmitter
	c        chunker
	progress func(Progress)
	// current reads the current EF (selected before) from offset 0,
	// instead of naming the file by its short EF identifier.
	current bool
}

// read returns the whole file f: its first bytes with READ BINARY by short
// EF identifier (no SELECT), then the rest in the largest chunks.
func (r *fileReader) read(ctx context.Context, f chip.File) ([]byte, error) {
	ferr := func(off int, err error) error { return &FileError{File: f, Offset: off, Err: err} }
	var first []byte
	var sw apdu.StatusWord
	for {
		n := r.c.size()
		cmd, err := apdu.ReadBinarySFI(f.SFI(), 0, n)
		if r.current {
			cmd, err = apdu.ReadBinary(0, n)
		}
		if err != nil {
			return nil, ferr(0, err)
		}
		resp, err := r.t.Transmit(ctx, cmd)
		if errors.Is(err, sm.ErrLengthRejected) && r.c.toShort() {
			continue
		}
		if err != nil {
			return nil, ferr(0, err)
		}
		switch {
		case resp.SW == apdu.SWSuccess || resp.SW == apdu.SWEndOfFile:
		case resp.SW == apdu.SWWrongLength:
			if r.c.shrink() {
				continue
			}
		case resp.SW.SW1() == 0x6C && resp.SW.SW2() != 0:
			// The card tells the exact length: the file is that long.
			cmd.Ne = int(resp.SW.SW2())
			if resp, err = r.t.Transmit(ctx, cmd); err != nil {
				return nil, ferr(0, err)
			}
		}
		if err := statusErr(resp.SW); err != nil {
			return nil, ferr(0, err)
		}
		first, sw = resp.Data, resp.SW
		break
	}
	total, err := fileLength(f, first)
	if err != nil {
		return nil, ferr(0, err)
	}
	buf := make([]byte, 0, total)
	buf = append(buf, first[:min(len(first), total)]...)
	r.report(f, len(buf), total)
	if len(buf) < total && sw == apdu.SWEndOfFile {
		return nil, ferr(len(buf), ErrTruncated)
	}
	for len(buf) < total {
		if err := ctx.Err(); err != nil {
			return nil, ferr(len(buf), err)
		}
		off := len(buf)
		n := min(r.c.size(), total-off)
		var cmd apdu.Command
		odd := off > 0x7FFF
		if odd {
			// DO '53' wraps the data: ask for its header too.
			n = min(n, r.c.size()-4)
			cmd, err = apdu.ReadBinaryOdd(off, n+2+tlv.LengthLen(n))
		} else {
			cmd, err = apdu.ReadBinary(off, n)
		}
		if err != nil {
			return nil, ferr(off, err)
		}
		resp, err := r.t.Transmit(ctx, cmd)
		if errors.Is(err, sm.ErrLengthRejected) && r.c.toShort() {
			continue
		}
		if err != nil {
			return nil, ferr(off, err)
		}
		if resp.SW == apdu.SWWrongLength && r.c.shrink() {
			continue
		}
		if resp.SW == apdu.SWWrongP1P2Offset {
			return nil, ferr(off, ErrTruncated)
		}
		if err := statusErr(resp.SW); err != nil {
			return nil, ferr(off, err)
		}
		data := resp.Data
		if odd {
			if data, err = apdu.ParseReadBinaryOdd(data); err != nil {
				return nil, ferr(off, err)
			}
		}
		if len(data) == 0 || len(data) > total-off {
			return nil, ferr(off, fmt.Errorf("card returned %d bytes for %d asked", len(data), n))
		}
		buf = append(buf, data...)
		r.report(f, len(buf), total)
		if len(buf) < total && resp.SW == apdu.SWEndOfFile {
			return nil, ferr(len(buf), ErrTruncated)
		}
	}
	return buf, nil
}

func (r *fileReader) report(f chip.File, read, total int) {
	if r.progress != nil {
		r.progress(Progress{File: f, Read: read, Total: total})
	}
}

// fileLength returns the length of the file from the TLV header at its
// start.
func fileLength(f chip.File, b []byte) (int, error) {
	_, n, err := tlv.ParseTag(b)
	if err != nil {
		return 0, err
	}
	l, m, err := tlv.ParseLength(b[n:])
	if err != nil {
		return 0, err
	}
	total := n + m + l
	if l < 0 || total > f.MaxSize() {
		return 0, fmt.Errorf("%w: %d bytes announced, limit %d", ErrFileTooLarge, total, f.MaxSize())
	}
	return total, nil
}

// statusErr maps the status of a READ BINARY to an error.
func statusErr(sw apdu.StatusWord) error {
	switch sw {
	case apdu.SWSuccess, apdu.SWEndOfFile:
		return nil
	case apdu.SWFileNotFound:
		return ErrFileNotFound
	case apdu.SWSecurityStatusNotSatisfied:
		return ErrAccessDenied
	}
	return apdu.Response{SW: sw}.Err()
}
