package bio

// Sample describes one finger or iris image of a group: which finger or
// eye, its format and size, not the image. Reports of what DG3 and DG4
// held list these.
type Sample struct {
	// Iris tells an iris image (Eye says which eye) from a finger image
	// (Finger says which finger).
	Iris   bool
	Finger FingerPosition
	Eye    EyePosition
	Format ImageFormat
	// Width and Height are in pixels: a finger view's line lengths, an
	// iris record's raw image size.
	Width, Height int
	// Size is the length of the image data in bytes.
	Size int
}

// Samples lists the finger and iris images of the group's templates in
// order: each view of a finger record, each image of each eye of an iris
// record. A template that holds neither (a face), is enciphered or does
// not parse is passed over.
func (g *Group) Samples() []Sample {
	var out []Sample
	for i := range g.Templates {
		t := &g.Templates[i]
		if f, err := t.Finger(); err == nil {
			for _, v := range f.Views {
				out = append(out, Sample{Finger: v.Position, Format: f.Compression.Format(),
					Width: int(v.Width), Height: int(v.Height), Size: len(v.Data)})
			}
			continue
		}
		if ir, err := t.Iris(); err == nil {
			for _, e := range ir.Eyes {
				for _, img := range e.Images {
					out = append(out, Sample{Iris: true, Eye: e.Position, Format: ir.Format.Format(),
						Width: int(ir.Width), Height: int(ir.Height), Size: len(img.Data)})
				}
			}
		}
	}
	return out
}
