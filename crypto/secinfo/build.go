package secinfo

import (
	"fmt"
	"strings"
)

// NewPACEInfo returns a version 2 PACEInfo for protocol p with the
// standardized (or local) domain parameter ID paramID, ready to Encode into
// an EF.CardAccess. It returns nil if p names no protocol identifier.
func NewPACEInfo(p PACEProtocol, paramID int) *PACEInfo {
	oid := p.OID()
	if oid == nil {
		return nil
	}
	return &PACEInfo{Protocol: oid, PACE: p, Version: 2, ParameterID: paramID, HasParameterID: true}
}

// NewChipAuthenticationInfo returns a ChipAuthenticationInfo for protocol
// ca and the given version, without keyId. It returns nil if ca names no
// protocol identifier.
func NewChipAuthenticationInfo(ca CAProtocol, version int) *ChipAuthenticationInfo {
	oid := ca.OID()
	if oid == nil {
		return nil
	}
	return &ChipAuthenticationInfo{Protocol: oid, CA: ca, Version: version}
}

func (i *PACEInfo) String() string {
	var sb strings.Builder
	fmt.Fprintf(&sb, "%s version %d", OIDName(i.Protocol), i.Version)
	if i.HasParameterID {
		fmt.Fprintf(&sb, " parameterId %d", i.ParameterID)
		if d, ok := i.Standardized(); ok {
			fmt.Fprintf(&sb, " (%s)", d.Name)
		}
	}
	return sb.String()
}

func (i *PACEDomainParameterInfo) String() string {
	s := fmt.Sprintf("%s domainParameter %s", OIDName(i.Protocol), OIDName(i.DomainParameter.Algorithm))
	if i.HasParameterID {
		s += fmt.Sprintf(" parameterId %d", i.ParameterID)
	}
	return s
}

func keyIDString(id int64, has bool) string {
	if has {
		return fmt.Sprintf(" keyId %d", id)
	}
	return ""
}

func (i *ChipAuthenticationInfo) String() string {
	return fmt.Sprintf("%s version %d%s", OIDName(i.Protocol), i.Version, keyIDString(i.KeyID, i.HasKeyID))
}

func (i *ChipAuthenticationDomainParameterInfo) String() string {
	return fmt.Sprintf("%s domainParameter %s%s", OIDName(i.Protocol), OIDName(i.DomainParameter.Algorithm), keyIDString(i.KeyID, i.HasKeyID))
}

func (i *ChipAuthenticationPublicKeyInfo) String() string {
	return fmt.Sprintf("%s %s key of %d bytes%s", OIDName(i.Protocol), OIDName(i.PublicKey.Algorithm.Algorithm), len(i.PublicKey.PublicKey), keyIDString(i.KeyID, i.HasKeyID))
}

func (i *TerminalAuthenticationInfo) String() string {
	s := fmt.Sprintf("%s version %d", OIDName(i.Protocol), i.Version)
	if i.HasEFCVCA {
		s += fmt.Sprintf(" efCVCA %X", i.EFCVCA.FID)
		if i.EFCVCA.HasSFID {
			s += fmt.Sprintf("/%02X", i.EFCVCA.SFID)
		}
	}
	return s
}

func (i *ActiveAuthenticationInfo) String() string {
	return fmt.Sprintf("%s version %d signatureAlgorithm %s", OIDName(i.Protocol), i.Version, OIDName(i.SignatureAlgorithm))
}

func (i *UnknownInfo) String() string {
	return fmt.Sprintf("%s (%d bytes)", OIDName(i.Protocol), len(i.Raw))
}
