package bio

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// TestGroupSamples: every finger view and every iris image of a group, in
// order, with position, format, size; faces and enciphered blocks passed
// over.
func TestGroupSamples(t *testing.T) {
	parse := func(name string) *Group {
		g, err := ParseGroup(readFixture(t, name))
		require.NoError(t, err)
		return g
	}

	require.Empty(t, parse("dg2-face.bin").Samples())

	fingers := parse("dg3-two-fingers.bin")
	var want []Sample
	for i, pos := range []FingerPosition{RightIndex, LeftIndex} {
		f, err := fingers.Templates[i].Finger()
		require.NoError(t, err)
		want = append(want, Sample{Finger: pos, Format: FormatJPEG, Width: 160, Height: 200, Size: len(f.Views[0].Data)})
	}
	require.Equal(t, want, fingers.Samples())

	eyes := parse("dg4-two-eyes.bin")
	want = nil
	for i, pos := range []EyePosition{EyeRight, EyeLeft} {
		ir, err := eyes.Templates[i].Iris()
		require.NoError(t, err)
		want = append(want, Sample{Iris: true, Eye: pos, Format: FormatJPEG, Width: int(ir.Width), Height: int(ir.Height), Size: len(ir.Eyes[0].Images[0].Data)})
	}
	require.Equal(t, want, eyes.Samples())

	// Fingers then irises, as the templates come; an enciphered template
	// tells nothing.
	mixed := &Group{Templates: []Template{fingers.Templates[1], eyes.Templates[0], {Header: eyes.Templates[1].Header, Data: eyes.Templates[1].Data, Enciphered: true}}}
	require.Equal(t, []Sample{fingers.Samples()[1], eyes.Samples()[0]}, mixed.Samples())
}
