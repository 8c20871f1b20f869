package sim

import (
	"bytes"
	"crypto"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/cancuoc/cancuoc/chip"
	"github.com/cancuoc/cancuoc/chip/bio"
	"github.com/cancuoc/cancuoc/crypto/pki"
	"github.com/cancuoc/cancuoc/crypto/secinfo"
	"github.com/cancuoc/cancuoc/tlv"
)

// An ImageProfile is a way in which real cards' data differ from what
// Personalize writes by default, each seen in public reader projects'
// trackers. PersonalizeProfile personalizes a document with it.
type ImageProfile struct {
	Name string
	// Doc says what the behaviour is.
	Doc string
	// Config changes the personalization's configuration (nil: none).
	Config func(*PersonalizeConfig)
	// Document changes the document before personalization (nil: none).
	Document func(*chip.Document) error
	// Image changes the personalized image (nil: none); EF.SOD is then
	// signed again over the data groups as they are when Resign is set.
	Image  func(*Image) error
	Resign bool
}

// ImageProfiles lists the data-level behaviours by name. The DG2 with a
// raw JPEG 2000 codestream needs an image; see J2KFaceProfile.
var ImageProfiles = []ImageProfile{
	{Name: "pace-im-only", Doc: "PACE with Integrated Mapping only",
		Config: func(o *PersonalizeConfig) { o.PACEMapping = secinfo.IntegratedMapping }},
	{Name: "paceinfo-no-parameterid", Doc: "PACEInfo without parameterId (EF.CardAccess and DG14); the chip runs brainpoolP256r1",
		Image: dropPACEParameterID, Resign: true},
	{Name: "com-absent-and-ta-dg", Doc: "EF.COM lists DG5, which the card does not have, and DG3, which needs Terminal Authentication",
		Image: comListsAbsent},
	{Name: "sod-ber-indefinite", Doc: "EF.SOD's ContentInfo and SignedData in BER with indefinite lengths",
		Image: sodIndefinite},
	{Name: "dg14-set-not-der", Doc: "DG14's SET OF SecurityInfo not in DER order (a reader must hash the bytes read)",
		Image: dg14Unsorted, Resign: true},
}

// J2KFaceProfile is the profile of a DG2 whose face image is a raw JPEG 2000
// codestream (starting FF4FFF51) instead of a JP2 file.
func J2KFaceProfile(codestream []byte) ImageProfile {
	return ImageProfile{Name: "dg2-j2k-codestream", Doc: "DG2 holding a raw JPEG 2000 codestream (FF4FFF51), not a JP2 box",
		Document: func(d *chip.Document) error {
			if !bytes.HasPrefix(codestream, []byte{0xFF, 0x4F, 0xFF, 0x51}) {
				return errors.New("sim: not a JPEG 2000 codestream")
			}
			face, err := bio.NewFace(codestream)
			if err != nil {
				return err
			}
			t, err := bio.NewFaceTemplate(face)
			if err != nil {
				return err
			}
			d.DG2 = &chip.Biometric{File: chip.EFDG2, Group: &bio.Group{Templates: []bio.Template{t}}}
			return nil
		}}
}

// PersonalizeProfile personalizes doc as Personalize does, changed as the
// profile says.
func PersonalizeProfile(doc *chip.Document, config *PersonalizeConfig, p ImageProfile) (*Image, error) {
	var opts PersonalizeConfig
	if config != nil {
		opts = *config
	}
	if p.Config != nil {
		p.Config(&opts)
	}
	if p.Document != nil {
		if err := p.Document(doc); err != nil {
			return nil, fmt.Errorf("sim: profile %s: %w", p.Name, err)
		}
	}
	img, err := Personalize(doc, &opts)
	if err != nil {
		return nil, err
	}
	if p.Image != nil {
		if err := p.Image(img); err != nil {
			return nil, fmt.Errorf("sim: profile %s: %w", p.Name, err)
		}
	}
	if p.Resign {
		if err := img.Resign(opts.Issuer, opts.time()); err != nil {
			return nil, err
		}
	}
	return img, nil
}

// Resign signs EF.SOD anew over the image's data groups as they are, after
// a change to one of them.
func (img *Image) Resign(iss Issuer, at time.Time) error {
	h := iss.Hash
	if h == 0 {
		h = crypto.SHA256
	}
	sod, err := pki.NewSOD(h, chip.DataGroupFiles(img.Files), iss.Signer, iss.Cert, &pki.SignedDataConfig{SignConfig: iss.Sign, SigningTime: at})
	if err != nil {
		return fmt.Errorf("sim: sign EF.SOD: %w", err)
	}
	img.Files[chip.EFSOD] = sod
	return nil
}

// dropPACEParameterID writes the PACEInfos of EF.CardAccess and DG14
// without their parameterId.
func dropPACEParameterID(img *Image) error {
	for _, f := range []chip.File{chip.EFCardAccess, chip.EFDG14} {
		b := img.Files[f]
		if b == nil {
			return fmt.Errorf("no %s", f)
		}
		var infos *secinfo.SecurityInfos
		var err error
		if f == chip.EFDG14 {
			infos, err = secinfo.Lenient.ParseDG14(b)
		} else {
			infos, err = secinfo.Lenient.Parse(b)
		}
		if err != nil {
			return err
		}
		for _, p := range infos.PACE() {
			p.ParameterID, p.HasParameterID = 0, false
		}
		if f == chip.EFDG14 {
			b, err = infos.EncodeDG14()
		} else {
			b, err = infos.Encode()
		}
		if err != nil {
			return err
		}
		img.Files[f] = b
	}
	return nil
}

// comListsAbsent writes EF.COM listing DG5 (absent) and DG3 besides the
// data groups present. EF.COM is not signed: EF.SOD stays.
func comListsAbsent(img *Image) error {
	com, err := chip.ParseCOM(img.Files[chip.EFCOM])
	if err != nil {
		return err
	}
	if !slices.Contains(com.DataGroups, chip.EFDG3) {
		com.DataGroups = append(com.DataGroups, chip.EFDG3)
	}
	com.DataGroups = append(com.DataGroups, chip.EFDG5)
	b, err := com.Encode()
	if err != nil {
		return err
	}
	img.Files[chip.EFCOM] = b
	return nil
}

// sodIndefinite re-encodes EF.SOD's ContentInfo, its [0] and the
// SignedData in BER with indefinite lengths (end-of-contents '0000'), as
// some issuers write them. The signed content and the signature do not
// change: only the envelope.
func sodIndefinite(img *Image) error {
	sod, err := tlv.ParseOne(img.Files[chip.EFSOD])
	if err != nil {
		return err
	}
	ci, err := indefinite(sod.Value, 3)
	if err != nil {
		return err
	}
	img.Files[chip.EFSOD] = tlv.AppendTLV(nil, sod.Tag, ci)
	return nil
}

// indefinite writes the constructed object b with an indefinite length,
// and its first constructed child so too, depth levels down.
func indefinite(b []byte, depth int) ([]byte, error) {
	t, err := tlv.ParseOne(b)
	if err != nil {
		return nil, err
	}
	out := t.Tag.AppendTo(nil)
	out = append(out, 0x80)
	if depth <= 1 {
		out = append(out, t.Value...)
		return append(out, 0, 0), nil
	}
	r := tlv.NewReader(t.Value)
	first := true
	for r.Next() {
		c := r.TLV()
		if first && c.Tag.Constructed() {
			inner, err := indefinite(c.Raw, depth-1)
			if err != nil {
				return nil, err
			}
			out = append(out, inner...)
			first = false
			continue
		}
		if c.Tag.Constructed() {
			first = false
		}
		out = append(out, c.Raw...)
	}
	if err := r.Err(); err != nil {
		return nil, err
	}
	return append(out, 0, 0), nil
}

// dg14Unsorted writes DG14's SET OF SecurityInfo in reverse DER order.
func dg14Unsorted(img *Image) error {
	t, err := tlv.ParseOne(img.Files[chip.EFDG14])
	if err != nil {
		return err
	}
	set, err := tlv.ParseOne(t.Value)
	if err != nil {
		return err
	}
	var elems [][]byte
	r := tlv.NewReader(set.Value)
	for r.Next() {
		elems = append(elems, r.TLV().Raw)
	}
	if err := r.Err(); err != nil {
		return err
	}
	if len(elems) < 2 {
		return errors.New("DG14 has fewer than two SecurityInfos")
	}
	slices.Reverse(elems)
	img.Files[chip.EFDG14] = tlv.AppendTLV(nil, t.Tag, tlv.AppendTLV(nil, set.Tag, bytes.Join(elems, nil)))
	return nil
}
