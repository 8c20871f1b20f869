// Package bio reads and writes the biometric data groups of an eMRTD or a
// Vietnamese CCCD chip: DG2 (face), DG3 (fingers) and DG4 (iris), as ICAO
// Doc 9303 Part 10 (§4.7.2) specifies them. The CCCD issued under the 2023
// Identity Law stores the holder's iris in DG4 with the same structure.
//
// # Two layers
//
// A biometric data group is a BER-TLV envelope around binary records:
//
//	75 / 63 / 76                     data group tag (package chip adds it)
//	  7F61  group template           Group
//	    02    number of templates
//	    7F60  one template           Template
//	      A1    header (CBEFF)       Header: type, subtype, format owner/type...
//	      5F2E  data block           Template.Data: one ISO/IEC 19794 record
//	            (7F2E if enciphered)
//
// ParseGroup and Group.Encode handle the envelope; they work on the value
// inside the data group tag, which package chip adds and removes. The
// header template is the CBEFF "biometric header template" of ISO/IEC
// 7816-11: the biometric type (face 0x02, finger 0x08, iris 0x10), the
// subtype (right/left, which finger), and the format owner and type that
// say how to read the data block (0x0101 for ISO/IEC JTC 1/SC 37, with
// format type 0x0008 face, 0x0007 finger, 0x0009 iris). NewHeader fills one
// in; CreationDateTime, Validity and their setters read and write its BCD
// dates.
//
// The data block holds a record in one of the 2005 binary formats that Doc
// 9303 references, each starting with a four-byte format identifier and
// the version "010":
//
//   - "FAC" ISO/IEC 19794-5 face image record: ParseFace, Face, NewFace.
//   - "FIR" ISO/IEC 19794-4 finger image record: ParseFinger, Finger,
//     NewFinger.
//   - "IIR" ISO/IEC 19794-6 iris image record: ParseIris, Iris, NewIris.
//
// Template.Face, Template.Finger and Template.Iris decode a template's
// block; NewFaceTemplate, NewFingerTemplate and NewIrisTemplate wrap a
// record with the matching header.
//
// The records carry the images themselves: JPEG or JPEG 2000 for faces;
// WSQ, JPEG, JPEG 2000 or PNG for fingers; raw, JPEG, JPEG-LS or JPEG 2000
// for irises. Face.Image, Finger.ImageAt and Iris.Image return an image with
// its format, recognized from its first bytes by DetectImageFormat (the
// declared type is only a fallback, since issuers and devices get it
// wrong). DecodeImageInfo reads an image's dimensions without decoding
// pixels; the builders use it to fill in width, height and colour space.
//
// # Exactness and hostile input
//
// Every parser keeps every field, reserved ones included, so that encoding
// a parsed record gives back the input byte for byte. The group envelope
// round-trips exactly too, except that the header's data objects are
// written in ascending tag order (which is how documents write them) and
// that ParseGroupLenient accepts padding and non-minimal lengths that
// Encode does not reproduce. Data objects of the header this package does
// not know (such as the '84' some issuers add) are kept in Header.Other.
// Parsed images alias the input; nothing is copied.
//
// No length field is believed before the bytes it announces are present:
// record lengths must equal the input, block lengths must fit in what is
// left, counts are checked against the bytes left before anything is
// allocated, and MaxTemplates, MaxBlockSize, MaxImages and MaxImageSize
// bound what a record may claim. Errors are *Error values naming the
// record, the field (as the standard names it) and the byte offset in the
// parser's input, wrapping sentinels such as ErrTruncated for errors.Is;
// framing faults of the TLV envelope also wrap the *tlv.Error of package
// tlv. Error messages carry no field values.
//
// # Sources
//
// ICAO Doc 9303 Part 10 (LDS), §4.7.2 and the DG2-DG4 tables; ISO/IEC
// 7816-11 Table C.1 for the header; the 2005 editions of ISO/IEC 19794-4,
// -5 and -6 for the records, whose layouts are summarized at the top of
// finger.go, face.go and iris.go. Where implementations disagree (the
// higher bits of the iris image property field), the raw value is kept.
package bio
