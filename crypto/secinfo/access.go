package secinfo

import (
	"encoding/asn1"
	"slices"
)

// PACE returns the PACEInfos in the order found.
func (s *SecurityInfos) PACE() []*PACEInfo { return all[*PACEInfo](s) }

// PACEDomainParameters returns the PACEDomainParameterInfos in the order
// found.
func (s *SecurityInfos) PACEDomainParameters() []*PACEDomainParameterInfo {
	return all[*PACEDomainParameterInfo](s)
}

// ChipAuthenticationInfos returns the ChipAuthenticationInfos in the order
// found.
func (s *SecurityInfos) ChipAuthenticationInfos() []*ChipAuthenticationInfo {
	return all[*ChipAuthenticationInfo](s)
}

// ChipAuthenticationPublicKeys returns the ChipAuthenticationPublicKeyInfos
// in the order found.
func (s *SecurityInfos) ChipAuthenticationPublicKeys() []*ChipAuthenticationPublicKeyInfo {
	return all[*ChipAuthenticationPublicKeyInfo](s)
}

// ChipAuthenticationDomainParameters returns the
// ChipAuthenticationDomainParameterInfos in the order found.
func (s *SecurityInfos) ChipAuthenticationDomainParameters() []*ChipAuthenticationDomainParameterInfo {
	return all[*ChipAuthenticationDomainParameterInfo](s)
}

// TerminalAuthentication returns the TerminalAuthenticationInfos in the
// order found.
func (s *SecurityInfos) TerminalAuthentication() []*TerminalAuthenticationInfo {
	return all[*TerminalAuthenticationInfo](s)
}

// ActiveAuthentication returns the first ActiveAuthenticationInfo, or nil.
// DG14 carries one when the Active Authentication key in DG15 is an ECDSA
// key.
func (s *SecurityInfos) ActiveAuthentication() *ActiveAuthenticationInfo {
	if v := all[*ActiveAuthenticationInfo](s); len(v) > 0 {
		return v[0]
	}
	return nil
}

// Unknown returns the SecurityInfos of protocols this package does not
// decode, in the order found.
func (s *SecurityInfos) Unknown() []*UnknownInfo { return all[*UnknownInfo](s) }

func all[T Info](s *SecurityInfos) []T {
	var out []T
	for _, i := range s.Infos {
		if v, ok := i.(T); ok {
			out = append(out, v)
		}
	}
	return out
}

// PACEDomainParameter returns the explicit domain parameters a PACEInfo
// refers to: the PACEDomainParameterInfo of the same key agreement and
// mapping whose parameterId equals the PACEInfo's, or the only such
// PACEDomainParameterInfo when neither carries a parameterId. It returns
// nil when the PACEInfo uses standardized domain parameters or none match.
func (s *SecurityInfos) PACEDomainParameter(p *PACEInfo) *PACEDomainParameterInfo {
	var match []*PACEDomainParameterInfo
	for _, d := range s.PACEDomainParameters() {
		if d.KeyAgreement != p.PACE.KeyAgreement || d.Mapping != p.PACE.Mapping {
			continue
		}
		if p.HasParameterID && d.HasParameterID && d.ParameterID == p.ParameterID {
			return d
		}
		if !p.HasParameterID && !d.HasParameterID {
			match = append(match, d)
		}
	}
	if len(match) == 1 {
		return match[0]
	}
	return nil
}

// Standardized reports whether the PACEInfo names standardized domain
// parameters (TR-03110-3 Table 4) of the type its key agreement needs.
func (p *PACEInfo) Standardized() (StandardizedDomainParameter, bool) {
	if !p.HasParameterID {
		return StandardizedDomainParameter{}, false
	}
	d, ok := LookupStandardizedDomainParameter(p.ParameterID)
	if !ok || (p.PACE.KeyAgreement == ECDH) != (d.Type == ECP) {
		return StandardizedDomainParameter{}, false
	}
	if d.NoIM && usesPointEncoding(p.PACE.Mapping) {
		return StandardizedDomainParameter{}, false
	}
	return d, true
}

// BestPACE chooses the PACE protocol a terminal should run, or returns nil
// when no PACEInfo has domain parameters to run with (standardized ones of
// the right type, or a matching PACEDomainParameterInfo).
//
// The ranking, first criterion first:
//  1. ECDH before DH (shorter keys and messages for the same strength);
//  2. the stronger cipher: AES-256, AES-192, AES-128, then 3DES;
//  3. the mapping: Generic, then Chip Authentication Mapping, then
//     Integrated. Generic Mapping is the one every PACE terminal and chip
//     implements; CAM also authenticates the chip but needs EF.CardSecurity
//     to check its key, which a caller wanting it can pick from PACE();
//  4. standardized domain parameters before explicit ones;
//  5. version 2 before other versions;
//  6. the order found.
func (s *SecurityInfos) BestPACE() *PACEInfo {
	var best *PACEInfo
	var bestKey [5]int
	for _, p := range s.PACE() {
		_, std := p.Standardized()
		if !std && s.PACEDomainParameter(p) == nil {
			continue
		}
		key := [5]int{int(p.PACE.KeyAgreement), cipherRank(p.PACE), mappingRank(p.PACE.Mapping), boolRank(std), boolRank(p.Version == 2)}
		if best == nil || slices.Compare(key[:], bestKey[:]) > 0 {
			best, bestKey = p, key
		}
	}
	return best
}

func cipherRank(p PACEProtocol) int {
	if p.Cipher == AES {
		return p.KeyLength
	}
	return 0
}

// mappingRank is the mapping's preference in BestPACE (paceMappings).
func mappingRank(m Mapping) int {
	if e := mappingEntry(m); e != nil {
		return e.rank
	}
	return 0
}

func boolRank(b bool) int {
	if b {
		return 1
	}
	return 0
}

// ChipAuthentication is one way to run Chip Authentication: a protocol
// with the static public key it uses.
type ChipAuthentication struct {
	// Protocol is the CA protocol identifier and CA its description.
	Protocol asn1.ObjectIdentifier
	CA       CAProtocol
	Version  int
	KeyID    int64
	HasKeyID bool
	// Info is the ChipAuthenticationInfo, nil when the set holds only the
	// public key: chips following TR-03110 version 1.0 announce Chip
	// Authentication that way, and the protocol is then inferred as
	// version 1 (TR-03110-3 A.1.1) with 3DES, the only cipher of that
	// version of TR-03110.
	Info *ChipAuthenticationInfo
	// PublicKey is the matching ChipAuthenticationPublicKeyInfo, nil when
	// the set does not hold it (EF.CardAccess announcing CA whose key is in
	// EF.CardSecurity).
	PublicKey *ChipAuthenticationPublicKeyInfo
}

// ChipAuthentication pairs each ChipAuthenticationInfo with the public
// key(s) of the same key agreement and keyId (when the info has no keyId,
// any key of the same key agreement; when the info has a keyId and the set
// one key without keyId, that key). Keys left unpaired give an entry with
// an inferred protocol (see ChipAuthentication.Info). Entries follow the
// order of the infos, then of the unpaired keys.
func (s *SecurityInfos) ChipAuthentication() []ChipAuthentication {
	keys := s.ChipAuthenticationPublicKeys()
	paired := make([]bool, len(keys))
	var out []ChipAuthentication
	for _, ci := range s.ChipAuthenticationInfos() {
		base := ChipAuthentication{Protocol: ci.Protocol, CA: ci.CA, Version: ci.Version, KeyID: ci.KeyID, HasKeyID: ci.HasKeyID, Info: ci}
		found := false
		for k, pk := range keys {
			if pk.KeyAgreement != ci.CA.KeyAgreement || !keyIDMatch(ci, pk, len(keys)) {
				continue
			}
			e := base
			e.PublicKey = pk
			out = append(out, e)
			paired[k], found = true, true
		}
		if !found {
			out = append(out, base)
		}
	}
	for k, pk := range keys {
		if paired[k] {
			continue
		}
		ca := CAProtocol{KeyAgreement: pk.KeyAgreement, Cipher: TripleDES, KeyLength: 16}
		out = append(out, ChipAuthentication{Protocol: ca.OID(), CA: ca, Version: 1, KeyID: pk.KeyID, HasKeyID: pk.HasKeyID, PublicKey: pk})
	}
	return out
}

func keyIDMatch(ci *ChipAuthenticationInfo, pk *ChipAuthenticationPublicKeyInfo, nkeys int) bool {
	switch {
	case !ci.HasKeyID:
		return true
	case pk.HasKeyID:
		return pk.KeyID == ci.KeyID
	default:
		return nkeys == 1
	}
}
