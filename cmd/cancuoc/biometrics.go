package main

import (
	"fmt"
	"io"

	"github.com/cancuoc/cancuoc/check"
	"github.com/cancuoc/cancuoc/chip"
	"github.com/cancuoc/cancuoc/chip/bio"
	"github.com/cancuoc/cancuoc/reader"
)

// bioView is one fingerprint or iris image read from DG3 or DG4: what was
// read, not the image.
type bioView struct {
	DataGroup int    `json:"data_group"`
	Kind      string `json:"kind"`     // "finger" or "iris"
	Position  string `json:"position"` // "right index finger", "right eye", ...
	Format    string `json:"format"`   // "JPEG", "JPEG 2000", "WSQ", ...
	Width     int    `json:"width"`
	Height    int    `json:"height"`
	Bytes     int    `json:"bytes"`
}

// closedView is a file the read wanted and did not get, with the reason
// (DG3 and DG4 without Terminal Authentication).
type closedView struct {
	File   string `json:"file"`
	Status string `json:"status"`
	Reason string `json:"reason,omitempty"`
}

var fingerNames = map[bio.FingerPosition]string{
	bio.RightThumb: "right thumb", bio.RightIndex: "right index finger", bio.RightMiddle: "right middle finger",
	bio.RightRing: "right ring finger", bio.RightLittle: "right little finger", bio.LeftThumb: "left thumb",
	bio.LeftIndex: "left index finger", bio.LeftMiddle: "left middle finger", bio.LeftRing: "left ring finger",
	bio.LeftLittle: "left little finger",
}

// biometricsOf lists the finger images of DG3 and the iris images of DG4.
func biometricsOf(doc *chip.Document) []bioView {
	var out []bioView
	if doc == nil {
		return nil
	}
	for _, dg := range []struct {
		n    int
		b    *chip.Biometric
		iris bool
	}{{3, doc.DG3, false}, {4, doc.DG4, true}} {
		if dg.b == nil || dg.b.Group == nil {
			continue
		}
		for _, s := range dg.b.Group.Samples() {
			if s.Iris != dg.iris {
				continue
			}
			v := bioView{DataGroup: dg.n, Kind: "finger", Format: s.Format.String(), Width: s.Width, Height: s.Height, Bytes: s.Size}
			if s.Iris {
				v.Kind, v.Position = "iris", "eye (position undefined)"
				switch s.Eye {
				case bio.EyeRight:
					v.Position = "right eye"
				case bio.EyeLeft:
					v.Position = "left eye"
				}
			} else if name, ok := fingerNames[s.Finger]; ok {
				v.Position = name
			} else {
				v.Position = fmt.Sprintf("finger position %d", s.Finger)
			}
			out = append(out, v)
		}
	}
	return out
}

// closedOf lists the files a read wanted and did not get.
func closedOf(res *reader.Result) []closedView {
	var out []closedView
	for _, f := range res.Files {
		if f.Status == check.Passed {
			continue
		}
		c := closedView{File: f.File.String(), Status: f.Status.String()}
		if f.Err != nil {
			c.Reason = f.Err.Error()
		}
		out = append(out, c)
	}
	return out
}

// printBiometrics writes the biometric lines of the text report.
func printBiometrics(w io.Writer, bios []bioView, closed []closedView) {
	if len(bios) > 0 {
		fmt.Fprintln(w, "Biometrics (read after Terminal Authentication)")
		for _, b := range bios {
			fmt.Fprintf(w, "  DG%d %-6s %-20s %s %dx%d, %d bytes\n", b.DataGroup, b.Kind, b.Position, b.Format, b.Width, b.Height, b.Bytes)
		}
	}
	for _, c := range closed {
		line := fmt.Sprintf("Not read: %s (%s)", c.File, c.Status)
		if c.Reason != "" {
			line += ": " + c.Reason
		}
		fmt.Fprintln(w, line)
	}
}
