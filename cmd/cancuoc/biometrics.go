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

// biometricsOf lists the finger and iris images of DG3 and DG4.
func biometricsOf(doc *chip.Document) []bioView {
	var out []bioView
	if doc == nil {
		return nil
	}
	if doc.DG3 != nil && doc.DG3.Group != nil {
		for i := range doc.DG3.Group.Templates {
			f, err := doc.DG3.Group.Templates[i].Finger()
			if err != nil {
				continue
			}
			for _, v := range f.Views {
				name, ok := fingerNames[v.Position]
				if !ok {
					name = fmt.Sprintf("finger position %d", v.Position)
				}
				out = append(out, bioView{DataGroup: 3, Kind: "finger", Position: name, Format: f.Compression.Format().String(),
					Width: int(v.Width), Height: int(v.Height), Bytes: len(v.Data)})
			}
		}
	}
	if doc.DG4 != nil && doc.DG4.Group != nil {
		for i := range doc.DG4.Group.Templates {
			ir, err := doc.DG4.Group.Templates[i].Iris()
			if err != nil {
				continue
			}
			for _, e := range ir.Eyes {
				name := "eye (position undefined)"
				switch e.Position {
				case bio.EyeRight:
					name = "right eye"
				case bio.EyeLeft:
					name = "left eye"
				}
				for _, img := range e.Images {
					out = append(out, bioView{DataGroup: 4, Kind: "iris", Position: name, Format: ir.Format.Format().String(),
						Width: int(ir.Width), Height: int(ir.Height), Bytes: len(img.Data)})
				}
			}
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
