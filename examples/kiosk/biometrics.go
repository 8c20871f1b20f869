package main

import (
	"fmt"

	"github.com/cancuoc/cancuoc/chip"
	"github.com/cancuoc/cancuoc/chip/bio"
	"github.com/cancuoc/cancuoc/crypto/pki"
	"github.com/cancuoc/cancuoc/reader"
)

// biometric is what the page shows of DG3 (fingerprints) or DG4 (irises):
// what was read, never the images.
type biometric struct {
	DataGroup int
	Name      string // "Vân tay — Fingerprints", "Mống mắt — Irises"
	Read      bool   // read after Terminal Authentication, hash matching EF.SOD
	Items     []string
	Reason    string // why not read
}

var fingerNames = map[bio.FingerPosition]string{
	bio.RightThumb: "ngón cái phải (right thumb)", bio.RightIndex: "ngón trỏ phải (right index)",
	bio.RightMiddle: "ngón giữa phải (right middle)", bio.RightRing: "ngón áp út phải (right ring)",
	bio.RightLittle: "ngón út phải (right little)", bio.LeftThumb: "ngón cái trái (left thumb)",
	bio.LeftIndex: "ngón trỏ trái (left index)", bio.LeftMiddle: "ngón giữa trái (left middle)",
	bio.LeftRing: "ngón áp út trái (left ring)", bio.LeftLittle: "ngón út trái (left little)",
}

// biometricsOf says, for DG3 and DG4, what was read or why not. A data
// group neither read nor listed in EF.SOD is left out: the card has none.
func biometricsOf(res *reader.Result, terminal bool) []biometric {
	var out []biometric
	for _, g := range []struct {
		f    chip.File
		name string
	}{{chip.EFDG3, "Vân tay — Fingerprints"}, {chip.EFDG4, "Mống mắt — Irises"}} {
		b := biometric{DataGroup: g.f.DataGroup(), Name: g.name}
		listed, hashOK := false, false
		if pa := res.PassiveAuth; pa != nil {
			for _, d := range pa.DataGroups {
				if d.Number == b.DataGroup {
					listed, hashOK = true, d.Status == pki.DGOK
				}
			}
		}
		var bg *chip.Biometric
		if doc := res.Document; doc != nil {
			bg = map[chip.File]*chip.Biometric{chip.EFDG3: doc.DG3, chip.EFDG4: doc.DG4}[g.f]
		}
		switch {
		case bg != nil && bg.Group != nil && hashOK:
			b.Read = true
			b.Items = biometricItems(bg)
		case bg != nil:
			b.Reason = "đọc được nhưng không khớp EF.SOD (read, but its hash does not match EF.SOD)"
		case listed || fileWanted(res, g.f):
			b.Reason = "cần xác thực thiết bị đọc (Terminal Authentication)"
			for _, fo := range res.Files {
				if fo.File == g.f && fo.Err != nil {
					b.Reason += ": " + fo.Err.Error()
				}
			}
			if !terminal {
				b.Reason += " — kiosk này không có chứng chỉ thiết bị đọc (no --terminal credentials)"
			}
		default:
			continue
		}
		out = append(out, b)
	}
	return out
}

func fileWanted(res *reader.Result, f chip.File) bool {
	for _, fo := range res.Files {
		if fo.File == f {
			return true
		}
	}
	return false
}

// biometricItems lists the images of a DG3 or DG4: position, format, size.
func biometricItems(g *chip.Biometric) []string {
	var out []string
	for _, s := range g.Group.Samples() {
		name, ok := fingerNames[s.Finger]
		switch {
		case s.Iris && s.Eye == bio.EyeRight:
			name = "mắt phải (right eye)"
		case s.Iris && s.Eye == bio.EyeLeft:
			name = "mắt trái (left eye)"
		case s.Iris:
			name = "mắt (eye)"
		case !ok:
			name = fmt.Sprintf("position %d", s.Finger)
		}
		out = append(out, fmt.Sprintf("%s: %s %d×%d, %d bytes", name, s.Format, s.Width, s.Height, s.Size))
	}
	return out
}
