package chip

import (
	"errors"
	"testing"

	"github.com/cancuoc/cancuoc/tlv"
	"github.com/stretchr/testify/require"
)

// dataFeatures is a fictitious typed DG8 (data features), which this
// package otherwise keeps as bytes only: '68' { '80' feature ... }, at
// least one feature.
type dataFeatures struct{ Features [][]byte }

func parseDataFeatures(b []byte) (*dataFeatures, error) {
	_, r, err := open(EFDG8, b)
	if err != nil {
		return nil, err
	}
	v := &dataFeatures{}
	for r.Next() {
		o := r.TLV()
		if o.Tag != 0x80 {
			return nil, &ParseError{File: EFDG8, Tag: o.Tag, Offset: o.Offset, Err: ErrWrongTag}
		}
		v.Features = append(v.Features, o.Value)
	}
	if err := r.Err(); err != nil {
		return nil, perr(EFDG8, 0, 0, err)
	}
	if len(v.Features) == 0 {
		return nil, &ParseError{File: EFDG8, Tag: 0x80, Err: ErrMissingField}
	}
	return v, nil
}

func (v *dataFeatures) Encode() ([]byte, error) {
	if len(v.Features) == 0 {
		return nil, &ParseError{File: EFDG8, Tag: 0x80, Err: ErrMissingField}
	}
	return encodeFile(EFDG8, func(b *tlv.Builder) error {
		for _, f := range v.Features {
			b.Add(0x80, f)
		}
		return nil
	})
}

// TestAddDataGroupByTable adds a data group through the file table alone:
// one row for DG8 (where its value is kept, its parse and encode
// functions), and Document parses it (ParseDocument, Set, with a typed
// error naming DG8), encodes it, lists it in DataGroups and in the EF.COM
// it builds, exactly as it does the data groups it has always known.
func TestAddDataGroupByTable(t *testing.T) {
	// The one place: a row in the table. A data group of the package gets
	// a field of Document; this test keeps its value beside it. The test
	// changes the package's table and puts it back: no test of this
	// package runs in parallel.
	var held *dataFeatures
	saved := fileTypes[EFDG8]
	t.Cleanup(func() { fileTypes[EFDG8] = saved })
	fileTypes[EFDG8] = typed(func(*Document) **dataFeatures { return &held }, parseDataFeatures, (*dataFeatures).Encode)

	// Issuing: the typed value becomes the file's bytes, and EF.COM lists it.
	doc := syntheticDocument(t)
	doc.COM = nil
	held = &dataFeatures{Features: [][]byte{{0x01, 0x02}, {0x03}}}
	files, err := doc.Encode()
	require.NoError(t, err)
	want := []byte{0x68, 0x07, 0x80, 0x02, 0x01, 0x02, 0x80, 0x01, 0x03}
	require.Equal(t, want, files[EFDG8])
	require.Equal(t, want, doc.Raw(EFDG8))
	require.Contains(t, doc.DataGroups(), EFDG8)
	require.True(t, doc.COM.Has(EFDG8))
	com, err := ParseCOM(files[EFCOM])
	require.NoError(t, err)
	require.True(t, com.Has(EFDG8))

	// Reading: ParseDocument parses it into its typed value.
	held = nil
	back, err := ParseDocument(files)
	require.NoError(t, err)
	require.Equal(t, &dataFeatures{Features: [][]byte{{0x01, 0x02}, {0x03}}}, held)
	require.Equal(t, want, back.Raw(EFDG8))
	require.Equal(t, doc.DataGroups(), back.DataGroups())
	// Encoding what was read gives the same bytes.
	again, err := back.Encode()
	require.NoError(t, err)
	require.Equal(t, files, again)

	// A bad DG8 is a *ParseError naming DG8; its bytes are kept and the
	// other files still parse.
	bad := map[File][]byte{EFDG1: files[EFDG1], EFDG8: {0x68, 0x03, 0x81, 0x01, 0x00}}
	back, err = ParseDocument(bad)
	var pe *ParseError
	require.ErrorAs(t, err, &pe)
	require.Equal(t, EFDG8, pe.File)
	require.Equal(t, tlv.Tag(0x81), pe.Tag)
	require.True(t, errors.Is(err, ErrWrongTag))
	require.Nil(t, held)
	require.Equal(t, bad[EFDG8], back.Raw(EFDG8))
	require.NotNil(t, back.DG1)

	// Set replaces the typed value with the file's.
	require.NoError(t, back.Set(EFDG8, []byte{0x68, 0x03, 0x80, 0x01, 0xAA}))
	require.Equal(t, &dataFeatures{Features: [][]byte{{0xAA}}}, held)

	// Without the row, DG8 is bytes only again, as before.
	fileTypes[EFDG8] = saved
	held = nil
	back, err = ParseDocument(bad)
	require.NoError(t, err)
	require.Nil(t, held)
	require.Equal(t, bad[EFDG8], back.Raw(EFDG8))
}

// TestFileTypesCoverDocument checks the table against Document: every
// typed field of Document has its row, the row's parse stores into that
// field and its encode reads from it.
func TestFileTypesCoverDocument(t *testing.T) {
	doc := syntheticDocument(t)
	doc.DG3 = &Biometric{File: EFDG3, Group: doc.DG2.Group}
	doc.DG4 = &Biometric{File: EFDG4, Group: doc.DG2.Group}
	doc.DG6 = &DisplayedImages{File: EFDG6, Images: doc.DG5.Images}
	files, err := doc.Encode()
	require.NoError(t, err)
	for _, f := range Files() {
		row := fileTypeOf(f)
		switch f {
		case EFDG8, EFDG9, EFDG10, EFCVCA, EFCardAccess, EFCardSecurity, EFATRInfo, EFDIR:
			require.Nil(t, row, f.String())
			continue
		}
		require.NotNil(t, row, f.String())
		require.True(t, row.present(doc), f.String())
		// An empty document gets the typed value of exactly this file.
		d := &Document{}
		require.NoError(t, d.Set(f, files[f]), f.String())
		for _, g := range Files() {
			require.Equal(t, g == f, d.hasTyped(g), "%v after Set(%v)", g, f)
		}
		b, err := fileTypeOf(f).encode(d)
		require.NoError(t, err)
		require.Equal(t, files[f], b, f.String())
	}
	require.Nil(t, fileTypeOf(0))
	require.Nil(t, fileTypeOf(lastFile))
}
