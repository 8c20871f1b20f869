// Package pki is the public key infrastructure side of an eMRTD or a
// Vietnamese CCCD: it signs the Document Security Object (EF.SOD) at
// issuance and runs passive authentication when the chip is read, as ICAO
// Doc 9303 Part 10 §4.6, Part 11 §5.1 and Part 12 describe.
//
// # The ICAO PKI in one paragraph
//
// Each issuing state runs a Country Signing CA (CSCA), a self-signed
// certificate that other states obtain out of band, bilaterally or through
// CSCA Master Lists. The CSCA issues Document Signer (DS) certificates.
// At personalization the DS signs the hashes of every data group of the
// chip (DG1 the MRZ, DG2 the face, DG13 the CCCD's national data, DG14 and
// DG15 the chip's keys...) as an LDSSecurityObject inside a CMS SignedData
// (RFC 5652), stored with the DS certificate as EF.SOD. A reader proves that
// the data it read was issued by that state and not altered (passive
// authentication) by recomputing the hashes, verifying the signature with
// the DS key, and chaining the DS certificate to a CSCA it trusts, checking
// CRLs. When a CSCA renews its key it publishes a link certificate: the new
// key certified by the old one.
//
// # Signing
//
// The LDSSecurityObject is this package's: the hash list EF.SOD signs,
// keyed by data group number (NewLDSSecurityObject, ParseLDSSecurityObject).
// This package knows data groups only by number and bytes; package chip
// knows what is inside them (chip.DataGroupFiles gives a document's files
// keyed by number, as NewSOD and Verify take them). SignSOD signs a DER
// LDSSecurityObject with any crypto.Signer (an HSM, a crypto/rsa,
// crypto/ecdsa or crypto/ec key), and NewSOD hashes the data group files
// first. SignSignedData is the general
// CMS signer; CreateCertificate and CreateCRL build the certificates and
// CRLs of the ICAO profile, including brainpool keys with explicit domain
// parameters; CreateMasterList builds CSCA master lists. Sub-package
// pkitest makes a whole deterministic test PKI.
//
// Signatures: RSA PKCS #1 v1.5 (sha*WithRSAEncryption), RSASSA-PSS with
// MGF1 (any salt), ECDSA with SHA-1 to SHA-512 on the NIST curves (through
// crypto/ecdsa) and on brainpool or explicit-parameter curves (through the
// project's crypto/ec), and the plain r||s ECDSA of BSI TR-03111 for
// verification. Output is DER and, for deterministic signers (RSA PKCS #1
// v1.5, crypto/ecdsa with a nil SignConfig.Rand), the same bytes for the
// same key, content and time.
//
// # Verifying
//
// Verify runs passive authentication and returns a
// Result that lists every check (structure, content type, message digest,
// signer certificate, signature, chain, validity, key usage, revocation,
// data group hashes) with its status (a check.Status, as package reader's
// checks have) and a typed error, and the outcome of each data group (OK,
// Mismatch, NotInSOD, NotRead). Valid is true only if nothing failed; a
// check that could not run is check.NotRun, never check.Passed, and an
// unknown algorithm fails. The validity rule is the chain model:
// certificates must be valid at the signing time (the signing-time
// attribute, else the document's date of issue when given), so a DS
// certificate that expired after the document was issued is accepted; with
// no signing time known, at the verification time.
//
// Every verifying entry point (Verify, VerifySignedObject,
// VerifySignedData, VerifyMasterList, VerifySelfContainedMasterList,
// TrustStore.VerifyPath, VerifyCRL, AddMasterListData) takes a
// *VerifyConfig as its last argument, and LoadTrust a *LoadConfig, as
// crypto/tls takes its Config: nil means every default, and the time of
// verification is a field Time func() time.Time, time.Now when nil.
//
// Every signed object goes through one trust path (TrustStore.VerifyPath):
// EF.SOD through Verify, EF.CardSecurity and deviation lists through
// VerifySignedObject with the signer's role, master lists through
// VerifyMasterList, CRLs through TrustStore.VerifyCRL. Chains are built by
// names and key identifiers through link certificates, certificates are
// checked at the signing time, the signer's key usage for its role
// (CheckSignerRole), and revocation uses only CRLs that are themselves
// signed by a trusted, unrevoked key of their CSCA. Path.Revocation says
// whether the CRL was fresh, stale, absent or revoking.
//
// A master list is accepted only from a master list signer (Doc 9303-12:
// extended key usage id-icao-cscaMasterListSigningKey, digitalSignature,
// not a CA) that chains to a CSCA already trusted: a Document Signer key,
// which every issuance station holds, cannot add trust anchors. A list
// vouched for only by the CSCAs it contains is refused
// (ErrSelfContainedMasterList) unless the caller opts in by name
// (VerifySelfContainedMasterList, LoadConfig.AllowSelfContainedMasterList).
//
// A TrustStore holds CSCAs (from DER or PEM, a folder, or a verified
// master list, see VerifyMasterList), link certificates and CRLs; it is
// safe for concurrent use and caches certificate signature checks, so that
// a kiosk verifies one signature per document.
//
// # Parsing
//
// ParseCertificate, ParseCRL, ParseSignedData, ParseSOD,
// ParseLDSSecurityObject and ParseMasterList read DER with cryptobyte, keep the raw bytes signatures
// cover, and return *ParseError values wrapping sentinels such as
// ErrMalformed or ErrTooLarge. Every input has a size limit. Unlike
// crypto/x509, the certificate parser reads brainpool and explicit
// parameter keys (Vietnam's CSCA uses brainpoolP512r1 with explicit
// parameters) and keeps certificates whose key it cannot use readable,
// their PublicKey.Err set.
package pki
