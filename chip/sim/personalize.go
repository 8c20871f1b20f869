package sim

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/cancuoc/cancuoc/chip"
	"github.com/cancuoc/cancuoc/crypto/aa"
	"github.com/cancuoc/cancuoc/crypto/ec"
	"github.com/cancuoc/cancuoc/crypto/pace"
	"github.com/cancuoc/cancuoc/crypto/pki"
	"github.com/cancuoc/cancuoc/crypto/secinfo"
)

// Profiles: the protocol sets Personalize knows.
const (
	// ProfileCCCD is Vietnam's chip-based citizen identity card: TD1 MRZ,
	// EF.COM listing DG1, DG2, DG3, DG13, DG14, DG15, BAC, Active
	// Authentication, CAN = last 6 digits of the personal number.
	ProfileCCCD = "cccd"
	// ProfileICAOPassport is a TD3 passport with DG1, DG2, DG11, DG12,
	// DG14, DG15 and BAC.
	ProfileICAOPassport = "icao-passport"
	// ProfileCCCD2023 is the identity card of Vietnam's Identity Law 2023
	// (Luật Căn cước, cards issued from 1 July 2024): the CCCD's files and
	// protocols, plus fingerprints (DG3) and iris images (DG4), both
	// readable only after Terminal Authentication against the CVCA the
	// chip holds (PersonalizeConfig.TrustPoints, required). Personalize
	// refuses a document without DG3 or DG4.
	ProfileCCCD2023 = "cccd-2023"
)

// PersonalizationProfiles lists the profiles Personalize knows.
func PersonalizationProfiles() []string {
	return []string{ProfileCCCD, ProfileCCCD2023, ProfileICAOPassport}
}

// Issuer is the Document Signer that signs EF.SOD. Its key is a
// crypto.Signer, so it can live in an HSM.
type Issuer struct {
	Signer crypto.Signer
	Cert   *pki.Certificate
	// Hash hashes the data groups and the signed attributes (SHA-256 when
	// zero).
	Hash crypto.Hash
	// Sign chooses RSA-PSS for RSA keys.
	Sign pki.SignConfig
}

// PersonalizeConfig tunes Personalize, which takes a pointer to one. Issuer
// is required: there is no card without a signed EF.SOD.
type PersonalizeConfig struct {
	// Profile is ProfileCCCD, ProfileCCCD2023 or ProfileICAOPassport.
	Profile string
	// Issuer signs EF.SOD.
	Issuer Issuer
	// CAN is the card access number; for ProfileCCCD it defaults to the
	// last 6 digits of the personal number.
	CAN string
	// AAKey is the Active Authentication key; a new RSA-2048 key is made
	// when nil.
	AAKey crypto.Signer
	// Rand is the source of randomness for new keys; nil means
	// crypto/rand.Reader.
	Rand io.Reader
	// Time returns the signing time of EF.SOD (also the chip's date);
	// nil means time.Now. Personalize calls it once.
	Time func() time.Time
	// TrustPoints are the CVCA certificates (CV certificates, see
	// crypto/cvc) the chip trusts for Terminal Authentication, which
	// guards DG3 and DG4. Without any, nobody reads DG3 and DG4.
	TrustPoints [][]byte
	// PACEMapping is the mapping of the PACE protocol the card offers:
	// Generic (the default, as the CCCD), Integrated, or Chip
	// Authentication Mapping, for which the card also gets an
	// EF.CardSecurity signed by the issuer (the SecurityInfos with the
	// Chip Authentication public key that PACE-CAM is checked against).
	PACEMapping secinfo.Mapping
	// PACE gives an icao-passport PACE besides BAC (ECDH Generic Mapping,
	// AES-128, brainpoolP256r1); a cccd always has it.
	PACE bool
}

// rand is c.Rand, or crypto/rand.Reader when c or c.Rand is nil.
func (c *PersonalizeConfig) rand() io.Reader {
	if c == nil || c.Rand == nil {
		return rand.Reader
	}
	return c.Rand
}

// time is c.Time(), or time.Now() when c or c.Time is nil.
func (c *PersonalizeConfig) time() time.Time {
	if c == nil || c.Time == nil {
		return time.Now()
	}
	return c.Time()
}

// CCCDPACE is the PACE protocol of the CCCD: id-PACE-ECDH-GM-AES-CBC-CMAC-128
// on standardized domain parameters 13 (brainpoolP256r1).
var CCCDPACE = secinfo.PACEProtocol{KeyAgreement: secinfo.ECDH, Mapping: secinfo.GenericMapping, Cipher: secinfo.AES, KeyLength: 16}

// CCCDPACEParameterID is the standardized domain parameter id of CCCDPACE.
const CCCDPACEParameterID = 13

// CCCDCA is the Chip Authentication protocol of the CCCD:
// id-CA-ECDH-AES-CBC-CMAC-128, version 1.
var CCCDCA = secinfo.CAProtocol{KeyAgreement: secinfo.ECDH, Cipher: secinfo.AES, KeyLength: 16}

// caPublicKeyInfo announces the Chip Authentication public key of k
// (id-PK-ECDH, id-ecPublicKey with the named curve).
func caPublicKeyInfo(k *ec.PrivateKey) (*secinfo.ChipAuthenticationPublicKeyInfo, error) {
	params, err := ec.MarshalECParameters(k.Curve(), false)
	if err != nil {
		return nil, err
	}
	return &secinfo.ChipAuthenticationPublicKeyInfo{
		Protocol: secinfo.OIDPKECDH, KeyAgreement: secinfo.ECDH,
		PublicKey: secinfo.SubjectPublicKeyInfo{
			Algorithm: secinfo.AlgorithmIdentifier{Algorithm: ec.OIDPublicKeyEC, Parameters: params},
			PublicKey: k.PublicKey.Bytes(),
		},
	}, nil
}

// ErrPersonalize is wrapped by the errors of Personalize about its input.
var ErrPersonalize = errors.New("sim: cannot personalize")

// Personalize issues doc onto a card image: it adds DG15 (the Active
// Authentication public key), builds EF.COM, encodes every data group,
// signs EF.SOD with the issuer's key and keeps the chip's secrets (the MRZ
// information of DG1, the CAN, the Active Authentication private key).
//
// doc is changed: its DG15, COM and SOD are set, as an issuance system
// would record them.
func Personalize(doc *chip.Document, config *PersonalizeConfig) (*Image, error) {
	var opts PersonalizeConfig
	if config != nil {
		opts = *config
	}
	if opts.Issuer.Signer == nil || opts.Issuer.Cert == nil {
		return nil, fmt.Errorf("%w: no document signer", ErrPersonalize)
	}
	if doc.DG1 == nil || doc.DG1.MRZ == nil {
		return nil, fmt.Errorf("%w: no DG1", ErrPersonalize)
	}
	rnd, now := opts.rand(), opts.time()
	h := opts.Issuer.Hash
	if h == 0 {
		h = crypto.SHA256
	}
	img := &Image{Profile: opts.Profile, Files: map[chip.File][]byte{}}
	img.Secrets.CAN = opts.CAN
	switch opts.Profile {
	case ProfileCCCD, ProfileCCCD2023:
		if opts.Profile == ProfileCCCD2023 {
			if doc.DG3 == nil || doc.DG4 == nil {
				return nil, fmt.Errorf("%w: a %s card carries fingerprints (DG3) and iris images (DG4)", ErrPersonalize, opts.Profile)
			}
			if len(opts.TrustPoints) == 0 {
				return nil, fmt.Errorf("%w: a %s card needs the CVCA (TrustPoints) that guards DG3 and DG4", ErrPersonalize, opts.Profile)
			}
		}
		if img.Secrets.CAN == "" {
			pn := doc.PersonalNumber()
			if len(pn) != 12 {
				return nil, fmt.Errorf("%w: a CCCD needs a 12-digit personal number for its CAN", ErrPersonalize)
			}
			img.Secrets.CAN = pn[6:]
		}
		opts.PACE = true
	case ProfileICAOPassport:
	default:
		return nil, fmt.Errorf("%w: unknown profile %q", ErrPersonalize, opts.Profile)
	}
	// Active Authentication: DG15 holds the public key; an ECDSA key also
	// needs an ActiveAuthenticationInfo in DG14 naming the hash.
	aaKey := opts.AAKey
	if aaKey == nil {
		k, err := rsa.GenerateKey(rnd, 2048)
		if err != nil {
			return nil, err
		}
		aaKey = k
	}
	aaDER, err := aa.MarshalPrivateKey(aaKey)
	if err != nil {
		return nil, fmt.Errorf("%w: Active Authentication key: %w", ErrPersonalize, err)
	}
	img.Secrets.AAKey = aaDER
	aaChip, err := aa.NewChip(aaKey, &aa.ChipConfig{Rand: rnd})
	if err != nil {
		return nil, fmt.Errorf("%w: Active Authentication key: %w", ErrPersonalize, err)
	}
	spki, err := aaChip.SubjectPublicKeyInfo()
	if err != nil {
		return nil, err
	}
	if doc.DG15, err = chip.NewDG15(spki); err != nil {
		return nil, err
	}

	// Chip Authentication: a static key on brainpoolP256r1, announced in
	// DG14 with TA and (with PACE) the PACE protocol; EF.CardAccess
	// repeats the protocols without the key, as the CCCD's does.
	caKey, err := ec.GenerateKey(ec.BrainpoolP256r1(), rnd)
	if err != nil {
		return nil, err
	}
	img.Secrets.CAKey = caKey.Bytes()
	caPK, err := caPublicKeyInfo(caKey)
	if err != nil {
		return nil, err
	}
	protocols := []secinfo.Info{
		secinfo.NewChipAuthenticationInfo(CCCDCA, 1),
		&secinfo.TerminalAuthenticationInfo{Protocol: secinfo.OIDTA, Version: 1},
	}
	if opts.PACE {
		p := CCCDPACE
		if opts.PACEMapping != 0 {
			p.Mapping = opts.PACEMapping
		}
		pi := secinfo.NewPACEInfo(p, CCCDPACEParameterID)
		if pi == nil {
			return nil, fmt.Errorf("%w: no PACE protocol %v", ErrPersonalize, p)
		}
		protocols = append(protocols, pi)
		ca := &secinfo.SecurityInfos{Infos: protocols}
		b, err := ca.Encode()
		if err != nil {
			return nil, err
		}
		img.Files[chip.EFCardAccess] = b
	}
	dg14 := &secinfo.SecurityInfos{Infos: append([]secinfo.Info{caPK}, protocols...)}
	if info := aaChip.Info(); info != nil {
		dg14.Infos = append(dg14.Infos, info)
	}
	dg14b, err := dg14.EncodeDG14()
	if err != nil {
		return nil, err
	}
	if opts.PACE && pace.AuthenticatesChip(opts.PACEMapping) {
		content, err := dg14.Encode()
		if err != nil {
			return nil, err
		}
		cs, err := pki.SignSignedData(content, secinfo.OIDSecurityObject, opts.Issuer.Signer, opts.Issuer.Cert,
			&pki.SignedDataConfig{SignConfig: opts.Issuer.Sign, SigningTime: now})
		if err != nil {
			return nil, fmt.Errorf("sim: sign EF.CardSecurity: %w", err)
		}
		img.Files[chip.EFCardSecurity] = cs
	}
	if err := doc.Set(chip.EFDG14, dg14b); err != nil {
		return nil, err
	}

	// EF.COM lists what is present; Encode builds it.
	doc.COM = nil
	files, err := doc.Encode()
	if err != nil {
		return nil, err
	}
	sod, err := pki.NewSOD(h, chip.DataGroupFiles(files), opts.Issuer.Signer, opts.Issuer.Cert, &pki.SignedDataConfig{
		SignConfig: opts.Issuer.Sign, SigningTime: now,
	})
	if err != nil {
		return nil, fmt.Errorf("sim: sign EF.SOD: %w", err)
	}
	if err := doc.Set(chip.EFSOD, sod); err != nil {
		return nil, err
	}
	for f, b := range doc.Files() {
		if img.Files[f] == nil {
			img.Files[f] = b
		}
	}
	img.Files[chip.EFATRInfo] = ATRInfo(apduMaxNc, apduMaxNe)
	img.Secrets.MRZInfo = string(doc.DG1.MRZ.Info().Bytes())
	img.Secrets.CVCA = opts.TrustPoints
	img.Secrets.ChipDate = now.UTC().Format(time.DateOnly)
	return img, nil
}

const (
	apduMaxNc = 65535
	apduMaxNe = 65536
)

// ATRInfo returns the contents of EF.ATR/INFO announcing extended length
// with the given limits: the extended length information '7F66' { '02'
// max Nc, '02' max Ne } of ISO/IEC 7816-4 §12.7.1.
func ATRInfo(maxNc, maxNe int) []byte {
	intDO := func(v int) []byte {
		b := []byte{byte(v >> 16), byte(v >> 8), byte(v)}
		for len(b) > 1 && b[0] == 0 && b[1]&0x80 == 0 {
			b = b[1:]
		}
		return append([]byte{0x02, byte(len(b))}, b...)
	}
	v := append(intDO(maxNc), intDO(maxNe)...)
	return append([]byte{0x7F, 0x66, byte(len(v))}, v...)
}
