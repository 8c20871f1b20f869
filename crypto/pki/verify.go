package pki

import (
	"bytes"
	"crypto/x509"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"time"

	"github.com/cancuoc/cancuoc/check"
)

// The checks of passive authentication, in the order Verify runs them.
const (
	CheckSODStructure  check.Name = "SOD structure"      // EF.SOD parses: '77', SignedData, LDSSecurityObject
	CheckContentType   check.Name = "content type"       // content-type attribute equals eContentType
	CheckMessageDigest check.Name = "message digest"     // message-digest attribute equals H(eContent)
	CheckSignerCert    check.Name = "signer certificate" // the DS certificate named by the SignerInfo is in the SOD
	CheckSignature     check.Name = "SOD signature"      // the DS key verifies the signature
	CheckChain         check.Name = "certificate chain"  // DS -> (links) -> trusted CSCA: names, key identifiers, signatures
	CheckValidity      check.Name = "validity"           // validity periods at the time of signing (see Verify)
	CheckKeyUsage      check.Name = "key usage"          // DS: digitalSignature; CSCA: CA, keyCertSign; no unknown critical extension
	CheckRevocation    check.Name = "revocation"         // CRL of the CSCA, signature verified
	CheckDataGroups    check.Name = "data group hashes"  // every data group read matches its hash in the SOD
)

// Check is the outcome of one check: Err is a *VerifyError when the check
// failed or could not run.
type Check struct {
	Name   check.Name
	Status check.Status
	Err    error
	// Detail says what was checked (the time used, the CSCA found...).
	Detail string
}

// DGStatus is the outcome for one data group.
type DGStatus int

const (
	// DGOK: the data group was read and its hash matches the SOD.
	DGOK DGStatus = iota + 1
	// DGMismatch: the hash of the data group read differs from the SOD:
	// the data was altered.
	DGMismatch
	// DGNotInSOD: a data group was read that the SOD does not list: it is
	// not protected.
	DGNotInSOD
	// DGNotRead: the SOD lists the data group but it was not read (not
	// accessible without EAC, or not needed); nothing is said about it.
	DGNotRead
)

func (s DGStatus) String() string {
	switch s {
	case DGOK:
		return "OK"
	case DGMismatch:
		return "MISMATCH"
	case DGNotInSOD:
		return "NOT IN SOD"
	case DGNotRead:
		return "not read"
	}
	return "unknown"
}

// DataGroupResult is the outcome for data group Number.
type DataGroupResult struct {
	Number   int
	Status   DGStatus
	Stored   []byte // hash in the SOD (nil for DGNotInSOD)
	Computed []byte // hash of the bytes read (nil for DGNotRead)
}

// Result is the full outcome of passive authentication. Valid is true only
// when every check passed (revocation may be NotRun unless
// VerifyConfig.RequireCRL) and no data group read is altered or
// unprotected. Checks lists every check in order, including those not run.
type Result struct {
	Valid bool
	SOD   *SOD
	// Signer is the document signer certificate, Chain the path from it
	// to the trusted CSCA ([DS, link..., CSCA]).
	Signer *Certificate
	Chain  []*Certificate
	// SigningTime is the signing-time attribute (zero when absent);
	// ValidityTime the time the certificate validity was checked at.
	SigningTime  time.Time
	ValidityTime time.Time
	Checks       []Check
	DataGroups   []DataGroupResult
	// Path is the DS certificate's trust path (nil when EF.SOD did not
	// get that far); Path.Revocation says what the CRLs said.
	Path *Path
}

// Check returns the check named n.
func (r *Result) Check(n check.Name) Check {
	for _, c := range r.Checks {
		if c.Name == n {
			return c
		}
	}
	return Check{Name: n}
}

// Err returns nil when Valid, else the errors of the checks that failed
// (and of those not run when they prevent validity), joined.
func (r *Result) Err() error {
	if r.Valid {
		return nil
	}
	var errs []error
	for _, c := range r.Checks {
		if c.Status != check.Passed && c.Err != nil {
			errs = append(errs, c.Err)
		}
	}
	if len(errs) == 0 {
		return errors.New("pki: passive authentication did not pass")
	}
	return errors.Join(errs...)
}

// VerifyConfig configures verification on the trust path: passive
// authentication (Verify), signed objects (VerifySignedObject,
// VerifySignedData), master lists, CRLs (TrustStore.VerifyCRL) and
// TrustStore.VerifyPath. A nil *VerifyConfig means every default.
type VerifyConfig struct {
	// Time returns the time of verification ("now"); nil means time.Now.
	Time func() time.Time
	// IssuedAt is the document's date of issue (DG12, or DG13 of a CCCD)
	// when known; it stands for the signing time when the signed object
	// has no signing-time attribute. Zero (the default): not known.
	IssuedAt time.Time
	// RequireCRL makes a missing or stale CRL a failure; by default
	// (false) the revocation check is then NotRun (check.NotRun), which
	// does not make the result invalid, and Path.Revocation says why.
	RequireCRL bool
	// SignerProfile, when set, runs on the signer certificate after
	// CheckSignerRole, for checks of a stricter profile; its error fails
	// the key usage check. nil (the default): none.
	SignerProfile func(signer *Certificate) error
}

// time is the time of verification: Time(), or time.Now.
func (c *VerifyConfig) time() time.Time {
	if c == nil || c.Time == nil {
		return time.Now()
	}
	return c.Time()
}

// defaultVerifyConfig is the nil config's values; never written.
var defaultVerifyConfig VerifyConfig

// orDefault is c, or the zero config for nil (read only).
func (c *VerifyConfig) orDefault() *VerifyConfig {
	if c == nil {
		return &defaultVerifyConfig
	}
	return c
}

// Verify runs passive authentication (Doc 9303 Part 11 §5.1, Part 12) on
// EF.SOD and the data groups read (number to the file's bytes, as
// chip.DataGroupFiles gives them) with the CSCAs and CRLs of trust:
//
//  1. EF.SOD parses (tag '77', DER SignedData, LDSSecurityObject);
//  2. the content-type and message-digest signed attributes match the
//     eContent;
//  3. the SOD carries the document signer (DS) certificate that the
//     SignerInfo names, and its key verifies the signature (RSA PKCS #1
//     v1.5, RSASSA-PSS, ECDSA on NIST or, through crypto/ec, other
//     curves; an unknown algorithm fails);
//  4. the DS certificate chains to a CSCA of trust, directly or through
//     link certificates: issuer name equals subject, authority key
//     identifier equals subject key identifier when both exist, and each
//     signature verifies;
//  5. validity, by the chain model: the signing time is the signing-time
//     attribute, or else config.IssuedAt; every certificate of the chain
//     must be within its validity period at that time (and the DS inside
//     its private key usage period when it has one), and the signing time
//     must not be after the time of verification (config.Time). A DS certificate that expired after the
//     document was signed is therefore accepted, as Doc 9303 Part 12
//     intends (documents outlive their DS). When the signing time is not
//     known at all, every certificate must be valid at the time of verification (the
//     stricter shell model);
//  6. key usage: the DS has digitalSignature (when it has a key usage
//     extension), each CSCA and link certificate is a CA with keyCertSign,
//     and no certificate has a critical extension this package does not
//     process;
//  7. revocation: the newest CRL of the issuing CSCA, its signature
//     verified by a key of that CSCA, does not list the DS (or link)
//     certificate. Without a CRL the check is NotRun (Failed with
//     config.RequireCRL);
//  8. each data group read hashes to the value in the SOD.
func Verify(sodFile []byte, dataGroups map[int][]byte, trust *TrustStore, config *VerifyConfig) *Result {
	v := &verification{r: &Result{}, config: config.orDefault()}
	v.run(sodFile, dataGroups, trust)
	return v.r
}

type verification struct {
	r      *Result
	config *VerifyConfig
}

func (v *verification) pass(n check.Name, detail string) {
	v.r.Checks = append(v.r.Checks, Check{Name: n, Status: check.Passed, Detail: detail})
}

func (v *verification) fail(n check.Name, object string, err error) {
	v.r.Checks = append(v.r.Checks, Check{Name: n, Status: check.Failed, Err: &VerifyError{Check: n, Object: object, Err: err}})
}

func (v *verification) skip(n check.Name, object string, err error) {
	v.r.Checks = append(v.r.Checks, Check{Name: n, Status: check.NotRun, Err: &VerifyError{Check: n, Object: object, Err: err}})
}

var allChecks = []check.Name{CheckSODStructure, CheckContentType, CheckMessageDigest, CheckSignerCert, CheckSignature,
	CheckChain, CheckValidity, CheckKeyUsage, CheckRevocation, CheckDataGroups}

// errNotRun marks the checks that an earlier failure prevented.
var errNotRun = errors.New("not run: an earlier check failed")

func (v *verification) skipRest() {
	for _, n := range allChecks {
		if v.r.Check(n).Status == check.NotRun && !v.has(n) {
			v.skip(n, "", errNotRun)
		}
	}
}

func (v *verification) has(n check.Name) bool {
	for _, c := range v.r.Checks {
		if c.Name == n {
			return true
		}
	}
	return false
}

func (v *verification) run(sodFile []byte, dataGroups map[int][]byte, trust *TrustStore) {
	r := v.r
	defer v.verdict()
	defer v.skipRest()
	sod, err := ParseSOD(sodFile)
	if err != nil {
		v.fail(CheckSODStructure, "EF.SOD", err)
		return
	}
	r.SOD = sod
	sd := sod.SignedData
	if len(sd.SignerInfos) != 1 {
		v.fail(CheckSODStructure, "EF.SOD", fmt.Errorf("%w: %d signer infos, want 1", ErrMalformed, len(sd.SignerInfos)))
		return
	}
	si := sd.SignerInfos[0]
	if si.RawSignedAttrs == nil {
		v.fail(CheckSODStructure, "EF.SOD", fmt.Errorf("%w: no signed attributes (Doc 9303 Part 10 requires them)", ErrMissingAttribute))
		return
	}
	v.pass(CheckSODStructure, fmt.Sprintf("LDSSecurityObject v%d, %d data groups", sod.SecurityObject.Version, len(sod.SecurityObject.DataGroupHashes)))
	r.SigningTime = si.SigningTime

	// 2. Signed attributes.
	if si.ContentTypeAttr == nil {
		v.fail(CheckContentType, "EF.SOD", fmt.Errorf("%w: content-type", ErrMissingAttribute))
	} else if !si.ContentTypeAttr.Equal(sd.ContentType) {
		v.fail(CheckContentType, "EF.SOD", fmt.Errorf("%w: attribute %v, eContentType %v", ErrWrongContentType, si.ContentTypeAttr, sd.ContentType))
	} else {
		v.pass(CheckContentType, sd.ContentType.String())
	}
	switch {
	case si.MessageDigest == nil:
		v.fail(CheckMessageDigest, "EF.SOD", fmt.Errorf("%w: message-digest", ErrMissingAttribute))
	case si.DigestAlgorithm == 0 || !si.DigestAlgorithm.Available():
		v.fail(CheckMessageDigest, "EF.SOD", fmt.Errorf("%w: digest algorithm %v", ErrUnsupportedAlgorithm, si.DigestAlgorithmOID))
	default:
		h := si.DigestAlgorithm.New()
		h.Write(sd.Content)
		if !bytes.Equal(h.Sum(nil), si.MessageDigest) {
			v.fail(CheckMessageDigest, "EF.SOD", ErrDigestMismatch)
		} else {
			v.pass(CheckMessageDigest, si.DigestAlgorithm.String())
		}
	}

	// 3. Signer certificate and signature.
	ds, err := sd.SignerCertificate(si)
	if err != nil {
		v.fail(CheckSignerCert, "EF.SOD", err)
		return
	}
	r.Signer = ds
	v.pass(CheckSignerCert, ds.Subject.String())
	if err := sd.CheckSignature(si, ds); err != nil {
		v.fail(CheckSignature, ds.Subject.String(), err)
	} else {
		alg, _ := si.signatureAlgorithm()
		v.pass(CheckSignature, alg.String())
	}

	// 8 first: data groups do not depend on the chain, and a caller wants
	// to know which file was altered even when the chain fails.
	v.checkDataGroups(sod, dataGroups)

	// 4-7. The trust path of the DS: chain, validity, key usage,
	// revocation (see TrustStore.VerifyPath).
	path := trust.VerifyPath(ds, RoleDocumentSigner, si.SigningTime, v.config)
	r.Path = path
	r.Chain = path.Chain
	r.ValidityTime = path.ValidityTime
	for _, c := range path.Checks {
		if c.Status == check.NotRun && errors.Is(c.Err, errNotRun) {
			continue // skipRest adds it
		}
		v.r.Checks = append(v.r.Checks, c)
	}
}

func (v *verification) checkDataGroups(sod *SOD, dataGroups map[int][]byte) {
	lso := sod.SecurityObject
	h, ok := lso.Hash()
	if !ok || !h.Available() {
		v.fail(CheckDataGroups, "EF.SOD", fmt.Errorf("%w: LDS hash algorithm %v", ErrUnsupportedAlgorithm, lso.HashAlgorithm))
		return
	}
	stored := map[int][]byte{}
	for _, d := range lso.DataGroupHashes {
		stored[d.DataGroup] = d.Hash
	}
	nums := slices.Sorted(maps.Keys(stored))
	for n := range dataGroups {
		if _, ok := stored[n]; !ok {
			nums = append(nums, n)
		}
	}
	slices.Sort(nums)
	var errs []error
	okCount := 0
	for _, n := range nums {
		res := DataGroupResult{Number: n, Stored: stored[n]}
		file, read := dataGroups[n]
		if read {
			d := h.New()
			d.Write(file)
			res.Computed = d.Sum(nil)
		}
		name := "DG" + strconv.Itoa(n)
		switch {
		case !read:
			res.Status = DGNotRead
		case res.Stored == nil:
			res.Status = DGNotInSOD
			errs = append(errs, &VerifyError{Check: CheckDataGroups, Object: name, Err: ErrDataGroupNotInSOD})
		case !bytes.Equal(res.Stored, res.Computed):
			res.Status = DGMismatch
			errs = append(errs, &VerifyError{Check: CheckDataGroups, Object: name, Err: ErrDigestMismatch})
		default:
			res.Status = DGOK
			okCount++
		}
		v.r.DataGroups = append(v.r.DataGroups, res)
	}
	if len(errs) > 0 {
		v.r.Checks = append(v.r.Checks, Check{Name: CheckDataGroups, Status: check.Failed, Err: errors.Join(errs...)})
		return
	}
	v.pass(CheckDataGroups, fmt.Sprintf("%d data groups match (%v)", okCount, h))
}

func (v *verification) verdict() {
	valid := true
	for _, c := range v.r.Checks {
		switch {
		case c.Status == check.Passed:
		case c.Name == CheckRevocation && c.Status == check.NotRun && !v.config.RequireCRL:
			// Offline verifiers may not have a CRL: reported, not fatal.
		default:
			valid = false
		}
	}
	for _, n := range allChecks {
		if !v.has(n) {
			valid = false
		}
	}
	v.r.Valid = valid
}

// checkValidity applies the chain model: every certificate valid at t,
// the DS inside its private key usage period, and t not after now.
func checkValidity(chain []*Certificate, t, now time.Time) error {
	if t.After(now) {
		return fmt.Errorf("%w: signing time %v is after the verification time %v", ErrExpired, t.UTC(), now.UTC())
	}
	for _, c := range chain {
		if !c.ValidAt(t) {
			return &VerifyError{Check: CheckValidity, Object: c.Subject.String(),
				Err: fmt.Errorf("%w: %v not in [%v, %v]", ErrExpired, t.UTC(), c.NotBefore.UTC(), c.NotAfter.UTC())}
		}
	}
	if p := chain[0].PrivateKeyUsagePeriod; p != nil {
		if (!p.NotBefore.IsZero() && t.Before(p.NotBefore)) || (!p.NotAfter.IsZero() && t.After(p.NotAfter)) {
			return &VerifyError{Check: CheckValidity, Object: chain[0].Subject.String(),
				Err: fmt.Errorf("%w: signed at %v outside the private key usage period", ErrExpired, t.UTC())}
		}
	}
	return nil
}

// checkKeyUsage checks a chain [end entity, issuers...]: no unhandled
// critical extension, the end entity with digitalSignature when it has a
// key usage, every issuer a CA with keyCertSign within its path length.
func checkKeyUsage(chain []*Certificate) error {
	return checkChainUsage(chain, true)
}

// checkChainUsage is checkKeyUsage; without signer, chain[0] is checked
// for unhandled critical extensions only (its role is checked apart, as
// for a CSCA key signing a CRL).
func checkChainUsage(chain []*Certificate, signer bool) error {
	for i, c := range chain {
		if len(c.UnhandledCritical) > 0 {
			return &VerifyError{Check: CheckKeyUsage, Object: c.Subject.String(), Err: fmt.Errorf("%w: %v", ErrUnhandledCritical, c.UnhandledCritical)}
		}
		if i == 0 && !signer {
			continue
		}
		if i == 0 {
			if c.HasKeyUsage && c.KeyUsage&x509.KeyUsageDigitalSignature == 0 {
				return &VerifyError{Check: CheckKeyUsage, Object: c.Subject.String(), Err: fmt.Errorf("%w: document signer without digitalSignature", ErrKeyUsage)}
			}
			continue
		}
		if !c.BasicConstraintsValid || !c.IsCA {
			return &VerifyError{Check: CheckKeyUsage, Object: c.Subject.String(), Err: fmt.Errorf("%w: issuer is not a CA", ErrKeyUsage)}
		}
		if c.HasKeyUsage && c.KeyUsage&x509.KeyUsageCertSign == 0 {
			return &VerifyError{Check: CheckKeyUsage, Object: c.Subject.String(), Err: fmt.Errorf("%w: CSCA without keyCertSign", ErrKeyUsage)}
		}
		// Path length: certificates below c other than the end entity
		// must not exceed c's constraint. Link certificates do not count:
		// self-issued ones by RFC 5280 §4.2.1.9, and those with the ICAO
		// name change extension because Doc 9303-12 requires
		// pathLenConstraint 0 on CSCAs while defining them.
		if c.MaxPathLen >= 0 {
			below := 0
			for _, d := range chain[1:i] {
				if !d.IsSelfIssued() && !d.NameChange {
					below++
				}
			}
			if below > c.MaxPathLen {
				return &VerifyError{Check: CheckKeyUsage, Object: c.Subject.String(), Err: fmt.Errorf("%w: path length constraint", ErrKeyUsage)}
			}
		}
	}
	return nil
}
