// Package tlv decodes and encodes BER-TLV data objects as ISO/IEC 7816-4
// and ICAO Doc 9303 use them: every file of an eMRTD chip (EF.COM, the data
// groups, EF.SOD) and the data fields of most APDUs are made of them.
//
// An object is a tag, a length and a value. The tag (1 to 3 bytes here)
// carries a class, a constructed bit (the value is itself a sequence of
// objects) and a number; this package holds it as a Tag, the integer of its
// encoded bytes, so that 0x5F1F is the tag ICAO prints as '5F1F'. The length
// has a short form (one byte, 0 to 127) and a long form ('81' to '84'
// followed by 1 to 4 bytes).
//
// # Reading
//
// A Reader walks a sequence of objects without allocating; Find follows a
// tag path such as 7F61/7F60/5F2E the same way; Decode builds a tree of
// Nodes for convenience in two allocations. Values alias the input, and
// every object records its Offset in the outermost input, so that errors
// and callers can point at the bytes concerned.
//
// Decoding is strict by default: an indefinite length, a length or tag
// encoded in more bytes than needed, a length that runs past the end of the
// input and bytes left after the last object are errors. Options.Lenient
// accepts the two quirks that real documents show (padding bytes '00' and
// 'FF' between or after objects, and non-minimal lengths) and nothing else.
// No length is believed before the bytes it announces are there, so hostile
// input cannot make this package allocate.
//
// Errors are *Error values carrying the offset and, when known, the tag; they
// wrap sentinel errors such as ErrTruncated for errors.Is.
//
// # Writing
//
// A Builder writes nested objects with minimal lengths, fixing up each
// constructed object's length when its contents are complete. AppendTLV and
// AppendLength are the allocation-free building blocks.
package tlv
