// Package secinfo reads and writes SecurityInfos, the ASN.1 structure with
// which an eMRTD chip (a passport, or a Vietnamese CCCD identity card)
// announces its security protocols (ICAO Doc 9303-11 §9.2, BSI TR-03110-3
// Appendix A.1):
//
//	SecurityInfos ::= SET OF SecurityInfo
//	SecurityInfo  ::= SEQUENCE {
//	    protocol     OBJECT IDENTIFIER,
//	    requiredData ANY DEFINED BY protocol,
//	    optionalData ANY DEFINED BY protocol OPTIONAL }
//
// Three files hold them:
//
//   - EF.CardAccess (FID 011C, SFI 1C, in the master file, readable by
//     anyone): the bare SET. A terminal reads it first to learn which PACE
//     protocols and domain parameters the chip offers. Parse it with Parse.
//   - DG14 of the eMRTD application: the SET inside the template '6E',
//     hashed in EF.SOD. It announces Chip Authentication (with its static
//     public key), Terminal Authentication, Active Authentication with
//     ECDSA, and repeats PACE. Parse it with ParseDG14.
//   - EF.CardSecurity (FID 011D): a CMS SignedData whose signed content
//     (type id-SecurityObject) is the SET. Open the SignedData with the
//     crypto/pki package, then Parse its eContent.
//
// # What a SecurityInfo says
//
// The protocol identifier tells the kind of SecurityInfo and, for PACE and
// Chip Authentication, the algorithms: id-PACE-ECDH-GM-AES-CBC-CMAC-128
// means PACE with elliptic curve Diffie-Hellman, the Generic Mapping, and
// secure messaging with AES-128 in CBC mode with CMAC. ParsePACEProtocol and
// ParseCAProtocol split an identifier into typed parts (KeyAgreement,
// Mapping, Cipher, key length). A PACEInfo also names its domain parameters,
// usually by a number of TR-03110-3 Table 4 (13 is brainpoolP256r1; see
// LookupStandardizedDomainParameter); explicit parameters come in a
// PACEDomainParameterInfo with the same number.
//
// Parsed values are the concrete types of Info: *PACEInfo,
// *PACEDomainParameterInfo, *ChipAuthenticationInfo,
// *ChipAuthenticationDomainParameterInfo, *ChipAuthenticationPublicKeyInfo,
// *TerminalAuthenticationInfo, *ActiveAuthenticationInfo, and *UnknownInfo
// for every other protocol (EFDIRInfo, CardInfo, PrivilegedTerminalInfo,
// national extensions), kept as bytes. Accessors pick them out: PACE,
// BestPACE (the protocol a terminal should run, by a documented ranking),
// ChipAuthentication (each CA protocol paired with its public key by keyId),
// TerminalAuthentication, ActiveAuthentication.
//
// # Strictness, limits and raw bytes
//
// The input must be DER: definite, minimal lengths, minimal INTEGERs and
// identifiers, nothing after the SET, and the SET OF elements in DER order.
// Issued passports are known to put their DG14 elements in any order, so
// Options.AllowUnsorted accepts that and records it in SecurityInfos.Sorted;
// Options.AllowPadding accepts '00' and 'FF' bytes after the data, as files
// padded to a block size have. Lenient sets both; nothing else is relaxed.
// A reader of real cards should use Lenient: the hash in EF.SOD and the
// signature of EF.CardSecurity cover the bytes as read, not a re-encoding. The input size and the
// number of elements are bounded (DefaultMaxSize, DefaultMaxInfos), no
// length is believed before its bytes are there, and errors are *Error
// values with the byte offset and the index of the element concerned,
// wrapping sentinels such as ErrSyntax.
//
// # Writing
//
// An issuer (or the chip simulator) builds a SecurityInfos from values
// (NewPACEInfo and NewChipAuthenticationInfo fill in the identifiers) and
// calls Encode for EF.CardAccess or the signed content of EF.CardSecurity,
// EncodeDG14 for DG14.
//
// Every parsed value keeps the bytes it came from in its Raw field (an
// alias of the input, not a copy). Encode writes the set back in DER, each
// element marshalled from its fields (UnknownInfo from Raw) and sorted: for
// input that Parse accepted, the output is the input, byte for byte.
package secinfo
