package secinfo

import (
	"encoding/asn1"
	"errors"
	"fmt"
)

// Sentinel errors. The parsing functions return an *Error wrapping one of
// them, so callers test with errors.Is(err, secinfo.ErrSyntax) and read the
// offset with errors.As. ParsePACEProtocol and ParseCAProtocol return an
// error wrapping ErrUnknownProtocol.
var (
	// ErrSyntax: bytes that are not the DER encoding of the expected ASN.1
	// type (truncated, a wrong tag, a non-minimal length or integer, an
	// indefinite length, a missing or extra field).
	ErrSyntax = errors.New("malformed DER")
	// ErrTrailingData: bytes left after the SET (or the DG14 object).
	ErrTrailingData = errors.New("trailing data")
	// ErrNotSorted: SET OF elements out of the DER order (X.690 §11.6).
	// Options.AllowUnsorted accepts this.
	ErrNotSorted = errors.New("SET OF elements not in DER order")
	// ErrTooLarge: input longer than Options.MaxSize.
	ErrTooLarge = errors.New("input too large")
	// ErrTooMany: more SecurityInfo elements than Options.MaxInfos.
	ErrTooMany = errors.New("too many SecurityInfos")
	// ErrValue: a well-formed field with a value out of range (a negative
	// version or identifier, a number that does not fit an int64, a FileID
	// of the wrong size, a BIT STRING with unused bits).
	ErrValue = errors.New("value out of range")
	// ErrUnknownProtocol: an object identifier that is not a protocol of
	// the kind asked for.
	ErrUnknownProtocol = errors.New("unknown protocol")
	// ErrNotDG14: a data group that is not DG14 (tag '6E').
	ErrNotDG14 = errors.New("not DG14")
)

// Error describes a parsing failure: what went wrong (Err, one of the
// sentinel errors), at which byte offset of the input given to Parse, and in
// which SecurityInfo (Index counts from 0 in the order found, and is -1
// outside any element; Protocol is that element's protocol when it was
// read).
type Error struct {
	Offset   int
	Index    int
	Protocol asn1.ObjectIdentifier
	Err      error
}

func (e *Error) Error() string {
	switch {
	case e.Index < 0:
		return fmt.Sprintf("secinfo: offset %d: %v", e.Offset, e.Err)
	case e.Protocol != nil:
		return fmt.Sprintf("secinfo: SecurityInfo %d (%s) at offset %d: %v", e.Index, OIDName(e.Protocol), e.Offset, e.Err)
	}
	return fmt.Sprintf("secinfo: SecurityInfo %d at offset %d: %v", e.Index, e.Offset, e.Err)
}

func (e *Error) Unwrap() error { return e.Err }

type protocolError struct {
	kind string
	oid  asn1.ObjectIdentifier
}

func (e *protocolError) Error() string {
	return fmt.Sprintf("secinfo: %s is not a %s protocol", OIDName(e.oid), e.kind)
}

func (e *protocolError) Unwrap() error { return ErrUnknownProtocol }

func unknownProtocol(kind string, oid asn1.ObjectIdentifier) error {
	return &protocolError{kind: kind, oid: oid}
}
