// Package bio reads and writes the biometric data groups of an eMRTD or a
// Vietnamese CCCD chip: DG2 (face), DG3 (fingers) and DG4 (iris), as ICAO
// Doc 9303 Part 10 (§4.7.2) specifies them.
//
// # Two layers
//
// A biometric data group is a BER-TLV envelope around binary records:
//
//	75 / 63 / 76                     data group tag (added by package chip)
//	  7F61  group template           Group
//	    02    number of templates
//	    7F60  one template           Template
//	      A1    header (CBEFF)       Header: type, subtype, format owner/type...
//	      5F2E  data block           Template.Data: one ISO/IEC 19794 record
//	            (7F2E if enciphered)
//
// ParseGroup and Group.Encode handle the envelope; they work on the value
// inside the data group tag, which package chip adds and removes. The data
// block holds a record in one of the 2005 binary formats that Doc 9303
// references, each starting with a four-byte format identifier and the
// version "010":
//
//   - "FAC" ISO/IEC 19794-5 face image record: ParseFace, Face, NewFace.
//   - "FIR" ISO/IEC 19794-4 finger image record: ParseFinger, Finger.
//   - "IIR" ISO/IEC 19794-6 iris image record: ParseIris, Iris.
//
// The records carry the images themselves (JPEG or JPEG 2000 for faces; WSQ,
// JPEG, JPEG 2000 or PNG for fingers; raw, JPEG or JPEG 2000 for irises).
// DetectImageFormat names an image from its first bytes and DecodeImageInfo
// reads its dimensions without decoding pixels.
//
// # Exactness and hostile input
//
// Every parser keeps every field, reserved ones included, so that encoding
// a parsed value gives back the input byte for byte (the group header is
// written in ascending tag order, which is how documents write it). Parsed
// images alias the input; nothing is copied.
//
// No length field is believed before the bytes it announces are present,
// counts are checked against the bytes left before anything is allocated,
// and the limits MaxTemplates, MaxBlockSize, MaxImages and MaxImageSize
// bound what a record may claim. Errors are *Error values naming the
// record, the field and the byte offset, wrapping sentinels such as
// ErrTruncated for errors.Is; framing faults of the TLV envelope also wrap
// the *tlv.Error from package tlv.
package bio
