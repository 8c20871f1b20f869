package chip

// This file: the one table of the files a Document parses and encodes.

// fileType is one row of fileTypes: how the bytes of one file become the
// typed value a Document keeps for it, and back. Rows are made by typed.
type fileType struct {
	// parse parses b, the bytes of file f, and stores the result (also a
	// partial one returned with an error) where the row keeps its value.
	parse func(d *Document, f File, b []byte) error
	// present reports whether the document holds a typed value.
	present func(d *Document) bool
	// encode encodes the typed value; call it only when present.
	encode func(d *Document) ([]byte, error)
}

// typed makes the row of a file whose typed value is a *T: field says where
// a Document keeps it, parse reads it from the file's bytes, encode writes
// those bytes back.
func typed[T any](field func(*Document) **T, parse func([]byte) (*T, error), encode func(*T) ([]byte, error)) *fileType {
	return &fileType{
		parse: func(d *Document, _ File, b []byte) error {
			v, err := parse(b)
			*field(d) = v
			return err
		},
		present: func(d *Document) bool { return *field(d) != nil },
		encode:  func(d *Document) ([]byte, error) { return encode(*field(d)) },
	}
}

// fileTypes drives Document.Set, ParseDocument, Encode and DataGroups: one
// row per file that has a typed value. Files without a row (DG8 to DG10,
// EF.CVCA and the master file's files) are kept as bytes only. See "Adding
// a data group" in the package documentation.
var fileTypes = [lastFile]*fileType{
	EFCOM: typed(func(d *Document) **COM { return &d.COM }, ParseCOM, (*COM).Encode),
	EFDG1: typed(func(d *Document) **DG1 { return &d.DG1 }, ParseDG1Lenient, (*DG1).Encode),
	EFDG2: typed(func(d *Document) **Biometric { return &d.DG2 }, ParseDG2, (*Biometric).Encode),
	EFDG3: typed(func(d *Document) **Biometric { return &d.DG3 },
		func(b []byte) (*Biometric, error) { return ParseBiometric(EFDG3, b) }, (*Biometric).Encode),
	EFDG4: typed(func(d *Document) **Biometric { return &d.DG4 },
		func(b []byte) (*Biometric, error) { return ParseBiometric(EFDG4, b) }, (*Biometric).Encode),
	EFDG5:  typed(func(d *Document) **DisplayedImages { return &d.DG5 }, ParseDG5, (*DisplayedImages).Encode),
	EFDG6:  typed(func(d *Document) **DisplayedImages { return &d.DG6 }, ParseDG6, (*DisplayedImages).Encode),
	EFDG7:  typed(func(d *Document) **DisplayedImages { return &d.DG7 }, ParseDG7, (*DisplayedImages).Encode),
	EFDG11: typed(func(d *Document) **DG11 { return &d.DG11 }, ParseDG11, (*DG11).Encode),
	EFDG12: typed(func(d *Document) **DG12 { return &d.DG12 }, ParseDG12, (*DG12).Encode),
	EFDG13: typed(func(d *Document) **DG13 { return &d.DG13 }, ParseDG13, (*DG13).Encode),
	EFDG14: typed(func(d *Document) **DG14 { return &d.DG14 }, ParseDG14, (*DG14).Encode),
	EFDG15: typed(func(d *Document) **DG15 { return &d.DG15 }, ParseDG15, (*DG15).Encode),
	EFDG16: typed(func(d *Document) **DG16 { return &d.DG16 }, ParseDG16, (*DG16).Encode),
	EFSOD:  typed(func(d *Document) **SOD { return &d.SOD }, ParseSOD, (*SOD).Encode),
}

// fileTypeOf returns the row of f, or nil for a file kept as bytes only.
func fileTypeOf(f File) *fileType {
	if !f.Valid() {
		return nil
	}
	return fileTypes[f]
}
