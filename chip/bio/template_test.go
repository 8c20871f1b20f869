package bio

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestTemplates(t *testing.T) {
	face, err := NewFace(genJPEG(t, 30, 40, false, 75))
	require.NoError(t, err)
	ft, err := NewFaceTemplate(face)
	require.NoError(t, err)
	require.Nil(t, ft.Header.Subtype)
	require.Equal(t, FormatTypeFaceImage, ft.Header.FormatType)

	fr, err := NewFinger(500, FingerView{Position: LeftRing, Data: genJPEG(t, 8, 8, true, 50)},
		FingerView{Position: LeftRing, ViewNumber: 2, Data: genJPEG(t, 8, 8, true, 60)})
	require.NoError(t, err)
	frt, err := NewFingerTemplate(fr)
	require.NoError(t, err)
	require.Equal(t, SubtypeLeft|SubtypeRing, *frt.Header.Subtype)
	fr.Views[1].Position = LeftLittle
	frt2, err := NewFingerTemplate(fr)
	require.NoError(t, err)
	require.Nil(t, frt2.Header.Subtype)

	ir, err := NewIris(nil, jp2Header(t, 10, 10, 1))
	require.NoError(t, err)
	it, err := NewIrisTemplate(ir)
	require.NoError(t, err)
	require.Equal(t, SubtypeLeft, *it.Header.Subtype)
	ir2, err := NewIris(jp2Header(t, 10, 10, 1), jp2Header(t, 10, 10, 1))
	require.NoError(t, err)
	it2, err := NewIrisTemplate(ir2)
	require.NoError(t, err)
	require.Nil(t, it2.Header.Subtype)

	g := &Group{Templates: []Template{ft, frt, frt2, it, it2}}
	out, err := g.Encode()
	require.NoError(t, err)
	back, err := ParseGroup(out)
	require.NoError(t, err)
	require.Equal(t, g, back)

	gotFace, err := back.Templates[0].Face()
	require.NoError(t, err)
	require.Equal(t, face, gotFace)
	gotFinger, err := back.Templates[2].Finger()
	require.NoError(t, err)
	require.Equal(t, fr, gotFinger)
	gotIris, err := back.Templates[4].Iris()
	require.NoError(t, err)
	require.Equal(t, ir2, gotIris)

	_, err = back.Templates[0].Iris()
	requireErr(t, err, ErrFormat, RecordIris, "format identifier", 0)
	enc := Template{Data: []byte{1}, Enciphered: true}
	_, err = enc.Face()
	requireErr(t, err, ErrEnciphered, RecordGroup, "biometric data block", 0)
	_, err = enc.Finger()
	require.ErrorIs(t, err, ErrEnciphered)
	_, err = enc.Iris()
	require.ErrorIs(t, err, ErrEnciphered)

	_, err = NewFaceTemplate(&Face{})
	require.ErrorIs(t, err, ErrCount)
	_, err = NewFingerTemplate(&Finger{})
	require.ErrorIs(t, err, ErrCount)
	_, err = NewIrisTemplate(&Iris{Eyes: make([]IrisEye, 3)})
	require.ErrorIs(t, err, ErrCount)
}
