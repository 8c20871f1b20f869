package bio

// Face decodes the template's data block as an ISO/IEC 19794-5 face
// record. An enciphered block gives ErrEnciphered.
func (t *Template) Face() (*Face, error) {
	if t.Enciphered {
		return nil, newErr(RecordGroup, "biometric data block", 0, ErrEnciphered)
	}
	return ParseFace(t.Data)
}

// Finger decodes the template's data block as an ISO/IEC 19794-4 finger
// image record. An enciphered block gives ErrEnciphered.
func (t *Template) Finger() (*Finger, error) {
	if t.Enciphered {
		return nil, newErr(RecordGroup, "biometric data block", 0, ErrEnciphered)
	}
	return ParseFinger(t.Data)
}

// Iris decodes the template's data block as an ISO/IEC 19794-6 iris image
// record. An enciphered block gives ErrEnciphered.
func (t *Template) Iris() (*Iris, error) {
	if t.Enciphered {
		return nil, newErr(RecordGroup, "biometric data block", 0, ErrEnciphered)
	}
	return ParseIris(t.Data)
}

// NewFaceTemplate encodes f into a template whose header says: ICAO
// header version 0101, biometric type face, no subtype, format owner SC 37,
// format type 0x0008.
func NewFaceTemplate(f *Face) (Template, error) {
	data, err := f.Encode()
	if err != nil {
		return Template{}, err
	}
	return Template{Header: NewHeader(BiometricFace, SubtypeNone, FormatTypeFaceImage), Data: data}, nil
}

// NewFingerTemplate encodes f into a template for DG3: biometric type
// finger, format type 0x0007, and the subtype of the finger when every
// view shows the same single finger (ICAO documents hold one finger per
// template).
func NewFingerTemplate(f *Finger) (Template, error) {
	data, err := f.Encode()
	if err != nil {
		return Template{}, err
	}
	sub := f.Views[0].Position.Subtype()
	for _, v := range f.Views[1:] {
		if v.Position != f.Views[0].Position {
			sub = SubtypeNone
		}
	}
	return Template{Header: NewHeader(BiometricFinger, sub, FormatTypeFingerImage), Data: data}, nil
}

// NewIrisTemplate encodes ir into a template for DG4: biometric type
// iris, format type 0x0009, and subtype right or left when the record
// holds a single eye (none otherwise).
func NewIrisTemplate(ir *Iris) (Template, error) {
	data, err := ir.Encode()
	if err != nil {
		return Template{}, err
	}
	sub := SubtypeNone
	if len(ir.Eyes) == 1 {
		sub = ir.Eyes[0].Position.Subtype()
	}
	return Template{Header: NewHeader(BiometricIris, sub, FormatTypeIrisImage), Data: data}, nil
}
