package bio

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/cancuoc/cancuoc/internal/vectors"
)

// checkErr fails unless err is an *Error (or wraps a *tlv.Error inside
// one) whose offset points inside the input.
func checkErr(t *testing.T, err error, n int) {
	t.Helper()
	var e *Error
	require.ErrorAs(t, err, &e, "error %v is not a *bio.Error", err)
	require.False(t, e.Offset < 0, "error offset %d outside input of %d bytes: %v", e.Offset, n, err)
	require.False(t, e.Offset > n, "error offset %d outside input of %d bytes: %v", e.Offset, n, err)
	require.NotNil(t, e.Err, "incomplete error %#v", e)
	require.NotEqual(t, "", e.Record, "incomplete error %#v", e)
}

// smallGroups builds a DG2, a DG3 and a DG4 group like the fixtures but
// with tiny images: the fuzzer minimizes new inputs, which is slow for
// 20 KB ones.
func smallGroups(f *testing.F) [][]byte {
	face, err := NewFace(genJPEG(f, 4, 4, false, 50))
	require.NoError(f, err)
	face.Images[0].FeaturePoints = []FeaturePoint{{Type: 1, Code: 0xC1, X: 1, Y: 2}}
	ft, err := NewFaceTemplate(face)
	require.NoError(f, err)
	fr, err := NewFinger(500, FingerView{Position: RightThumb, Data: wsqHeader, Width: 3, Height: 3},
		FingerView{Position: RightThumb, ViewNumber: 2, Data: wsqHeader, Width: 3, Height: 3})
	require.NoError(f, err)
	frt, err := NewFingerTemplate(fr)
	require.NoError(f, err)
	ir, err := NewIris(j2kHeader(f, 2, 2), j2kHeader(f, 2, 2))
	require.NoError(f, err)
	it, err := NewIrisTemplate(ir)
	require.NoError(f, err)
	var out [][]byte
	for _, g := range []*Group{{Templates: []Template{ft}}, {Templates: []Template{frt, frt}}, {Templates: []Template{it}}} {
		b, err := g.Encode()
		require.NoError(f, err)
		out = append(out, b)
	}
	return out
}

func seedRecords(f *testing.F) (faces, fingers, irises [][]byte) {
	faces = [][]byte{vectors.Unhex(f, faceKAT)}
	fingers = [][]byte{vectors.Unhex(f, fingerKAT)}
	irises = [][]byte{vectors.Unhex(f, irisKAT)}
	for _, b := range smallGroups(f) {
		g, err := ParseGroup(b)
		require.NoError(f, err)
		for _, tpl := range g.Templates {
			switch *tpl.Header.Type {
			case BiometricFace:
				faces = append(faces, tpl.Data)
			case BiometricFinger:
				fingers = append(fingers, tpl.Data)
			case BiometricIris:
				irises = append(irises, tpl.Data)
			}
		}
	}
	return faces, fingers, irises
}

func FuzzParseGroup(f *testing.F) {
	for _, b := range smallGroups(f) {
		f.Add(b)
	}
	f.Add(wrapGroup(f, "01", tpl(f, bhtPassport+"5F2E 03 010203")))
	f.Add(wrapGroup(f, "01", tpl(f, bhtNoVer+"7F2E 01 00")))
	f.Add(wrapGroup(f, "01", tpl(f, "A1 0B 8802 0008 8702 0101 8103 000002 5F2E 00")))
	f.Add(wrapGroup(f, "02", tpl(f, "A2 0E 8301 00 8502 00 8702 0101 8802 0008 5F2E 00"), tpl(f, bhtNoVer+"5F2E 00")))
	f.Fuzz(func(t *testing.T, b []byte) {
		for _, parse := range []func([]byte) (*Group, error){ParseGroup, ParseGroupLenient} {
			g, err := parse(b)
			if err != nil {
				checkErr(t, err, len(b))
				continue
			}
			out, err := g.Encode()
			require.NoError(t, err, "encode of a parsed group")
			back, err := ParseGroup(out)
			require.NoError(t, err, "re-parse")
			require.Equal(t, g, back, "round trip changed the group")
			again, err := back.Encode()
			require.NoError(t, err, "encoding not stable")
			require.True(t, bytes.Equal(out, again), "encoding not stable: %v", err)
			for i := range g.Templates {
				_, _ = g.Templates[i].Face()
				_, _ = g.Templates[i].Finger()
				_, _ = g.Templates[i].Iris()
			}
		}
	})
}

// fuzzRecord checks a record parser: errors are well-formed, and a parsed
// record encodes back to exactly its input.
func fuzzRecord[T interface{ Encode() ([]byte, error) }](t *testing.T, b []byte, parse func([]byte) (T, error)) {
	r, err := parse(b)
	if err != nil {
		checkErr(t, err, len(b))
		return
	}
	out, err := r.Encode()
	require.NoError(t, err, "encode of a parsed record")
	require.True(t, bytes.Equal(out, b), "re-encoded %x, input %x", out, b)
	back, err := parse(out)
	require.NoError(t, err, "re-parse")
	require.Equal(t, r, back, "round trip changed the record")
}

func FuzzParseFace(f *testing.F) {
	faces, _, _ := seedRecords(f)
	for _, b := range faces {
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		fuzzRecord(t, b, ParseFace)
		if face, err := ParseFace(b); err == nil {
			for i := range face.Images {
				_, _ = face.Images[i].Image()
				_ = face.Images[i].CheckImage()
			}
		}
	})
}

func FuzzParseFinger(f *testing.F) {
	_, fingers, _ := seedRecords(f)
	for _, b := range fingers {
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		fuzzRecord(t, b, ParseFinger)
		if fr, err := ParseFinger(b); err == nil {
			for i := range fr.Views {
				_, _ = fr.ImageAt(i)
			}
		}
	})
}

func FuzzParseIris(f *testing.F) {
	_, _, irises := seedRecords(f)
	for _, b := range irises {
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		fuzzRecord(t, b, ParseIris)
		if ir, err := ParseIris(b); err == nil {
			for _, p := range []EyePosition{EyeUndefined, EyeRight, EyeLeft} {
				_, _ = ir.Image(p)
			}
		}
	})
}

func FuzzDecodeImageInfo(f *testing.F) {
	f.Add(genJPEG(f, 4, 4, true, 50))
	f.Add(genPNG(f, 2, 3))
	f.Add(j2kHeader(f, 3, 3))
	f.Add(jp2Header(f, 3, 3, 3))
	f.Add(wsqHeader)
	f.Fuzz(func(t *testing.T, b []byte) {
		info, err := DecodeImageInfo(b)
		if err != nil {
			checkErr(t, err, len(b))
			return
		}
		require.Equal(t, DetectImageFormat(b), info.Format, "inconsistent info %+v", info)
		require.False(t, info.Width < 0, "inconsistent info %+v", info)
		require.False(t, info.Height < 0, "inconsistent info %+v", info)
	})
}
