package reader

import (
	"context"
	"errors"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/cancuoc/cancuoc/apdu"
	"github.com/cancuoc/cancuoc/chip"
	"github.com/cancuoc/cancuoc/chip/sim"
	"github.com/cancuoc/cancuoc/tlv"
)

// tlvFile returns a file of f's tag holding n value bytes.
func tlvFile(f chip.File, n int) []byte {
	v := make([]byte, n)
	for i := range v {
		v[i] = byte(i*13 + int(f))
	}
	return tlv.AppendTLV(nil, f.Tag(), v)
}

func plainCard(t *testing.T, opts sim.Config, sizes map[chip.File]int) (*sim.Card, *sim.Image) {
	t.Helper()
	img := &sim.Image{Files: map[chip.File][]byte{}}
	for f, n := range sizes {
		img.Files[f] = tlvFile(f, n)
	}
	opts.OpenAccess = true
	c, err := sim.New(img, &opts)
	require.NoError(t, err)
	return c, img
}

func cccdSizes() map[chip.File]int {
	return map[chip.File]int{
		chip.EFCOM: 20, chip.EFDG1: 93, chip.EFDG2: 20000, chip.EFDG13: 600,
		chip.EFDG14: 300, chip.EFDG15: 300, chip.EFSOD: 1900,
	}
}

func readAll(t *testing.T, c *sim.Card, ch chunker, files ...chip.File) (map[chip.File][]byte, []Progress) {
	t.Helper()
	var prog []Progress
	r := &fileReader{t: c, c: ch, progress: func(p Progress) { prog = append(prog, p) }}
	ctx := context.Background()
	require.Equal(t, apdu.SWSuccess, mustOK(t, c, apdu.SelectAID(chip.LDS1AID, false)))
	got := map[chip.File][]byte{}
	for _, f := range files {
		b, err := r.read(ctx, f)
		require.NoError(t, err, f.String())
		got[f] = b
	}
	return got, prog
}

func mustOK(t *testing.T, c *sim.Card, cmd apdu.Command) apdu.StatusWord {
	t.Helper()
	r, err := c.Transmit(context.Background(), cmd)
	require.NoError(t, err)
	return r.SW
}

func TestReadFilesFewestAPDUs(t *testing.T) {
	order := []chip.File{chip.EFCOM, chip.EFDG1, chip.EFDG2, chip.EFDG13, chip.EFDG14, chip.EFDG15, chip.EFSOD}
	for _, tc := range []struct {
		name  string
		opts  sim.Config
		ch    chunker
		chunk int
	}{
		{"extended", sim.Config{}, chunker{limit: 65536}, 65536},
		{"short", sim.Config{ShortOnly: true}, chunker{limit: 256, short: true}, 256},
		{"extended 1K card", sim.Config{MaxResponse: 1024}, chunker{limit: 1024}, 1024},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, img := plainCard(t, tc.opts, cccdSizes())
			got, prog := readAll(t, c, tc.ch, order...)
			min := 1 // SELECT of the application
			for _, f := range order {
				require.Equal(t, img.Files[f], got[f], f.String())
				min += (len(img.Files[f]) + tc.chunk - 1) / tc.chunk
			}
			require.Equal(t, min, c.Stats().APDUs)
			last := prog[len(prog)-1]
			require.Equal(t, Progress{File: chip.EFSOD, Read: len(img.Files[chip.EFSOD]), Total: len(img.Files[chip.EFSOD])}, last)
		})
	}
}

func TestReadShrinksOnWrongLength(t *testing.T) {
	// The reader believes in 64 KiB responses; the card takes 1 KiB.
	c, img := plainCard(t, sim.Config{MaxResponse: 1024}, cccdSizes())
	got, _ := readAll(t, c, chunker{limit: 65536}, chip.EFDG2, chip.EFDG1)
	require.Equal(t, img.Files[chip.EFDG2], got[chip.EFDG2])
	require.Equal(t, img.Files[chip.EFDG1], got[chip.EFDG1])
	// 65536 -> 16384 -> 4096 -> 1024: three refusals, then 1 KiB reads
	// (20004 bytes = 20), DG1 in one, plus the SELECT.
	require.Equal(t, 1+3+20+1, c.Stats().APDUs)

	// A card that takes short APDUs only: one more step, to 256.
	s, img := plainCard(t, sim.Config{ShortOnly: true}, cccdSizes())
	got, _ = readAll(t, s, chunker{limit: 65536}, chip.EFDG2)
	require.Equal(t, img.Files[chip.EFDG2], got[chip.EFDG2])
	require.Equal(t, 1+4+79, s.Stats().APDUs)
}

func TestReadWrongLe6C(t *testing.T) {
	c, img := plainCard(t, sim.Config{WrongLe6C: true}, cccdSizes())
	got, _ := readAll(t, c, chunker{limit: 65536}, chip.EFDG1, chip.EFDG2)
	require.Equal(t, img.Files[chip.EFDG1], got[chip.EFDG1])
	require.Equal(t, img.Files[chip.EFDG2], got[chip.EFDG2])
	// DG1: 6CXX then the exact read; DG2 in one read.
	require.Equal(t, 1+2+1, c.Stats().APDUs)
}

func TestReadOddOffsets(t *testing.T) {
	sizes := cccdSizes()
	sizes[chip.EFDG3] = 40000
	c, img := plainCard(t, sim.Config{MaxResponse: 4096}, sizes)
	got, _ := readAll(t, c, chunker{limit: 4096}, chip.EFDG3)
	require.Equal(t, img.Files[chip.EFDG3], got[chip.EFDG3])
}

func TestReadErrors(t *testing.T) {
	ctx := context.Background()
	t.Run("not found", func(t *testing.T) {
		c, _ := plainCard(t, sim.Config{}, cccdSizes())
		r := &fileReader{t: c, c: chunker{limit: 65536}}
		mustOK(t, c, apdu.SelectAID(chip.LDS1AID, false))
		_, err := r.read(ctx, chip.EFDG3)
		require.ErrorIs(t, err, ErrFileNotFound)
		var fe *FileError
		require.ErrorAs(t, err, &fe)
		require.Equal(t, chip.EFDG3, fe.File)
	})
	t.Run("access denied", func(t *testing.T) {
		img := &sim.Image{Files: map[chip.File][]byte{chip.EFDG1: tlvFile(chip.EFDG1, 90)}}
		c, err := sim.New(img, nil)
		require.NoError(t, err)
		r := &fileReader{t: c, c: chunker{limit: 65536}}
		mustOK(t, c, apdu.SelectAID(chip.LDS1AID, false))
		_, err = r.read(ctx, chip.EFDG1)
		require.ErrorIs(t, err, ErrAccessDenied)
	})
	t.Run("lying length", func(t *testing.T) {
		for _, short := range []bool{false, true} {
			c, img := plainCard(t, sim.Config{ShortOnly: short}, cccdSizes())
			img.Files[chip.EFDG2] = img.Files[chip.EFDG2][:15000]
			r := &fileReader{t: c, c: chunker{limit: 65536, short: short}}
			mustOK(t, c, apdu.SelectAID(chip.LDS1AID, false))
			_, err := r.read(ctx, chip.EFDG2)
			require.ErrorIs(t, err, ErrTruncated)
		}
	})
	t.Run("too large", func(t *testing.T) {
		img := &sim.Image{Files: map[chip.File][]byte{chip.EFDG1: {0x61, 0x83, 0x10, 0x00, 0x00}}}
		c, err := sim.New(img, &sim.Config{OpenAccess: true})
		require.NoError(t, err)
		r := &fileReader{t: c, c: chunker{limit: 65536}}
		mustOK(t, c, apdu.SelectAID(chip.LDS1AID, false))
		_, err = r.read(ctx, chip.EFDG1)
		require.ErrorIs(t, err, ErrFileTooLarge)
	})
	t.Run("torn", func(t *testing.T) {
		c, _ := plainCard(t, sim.Config{ShortOnly: true, Faults: sim.Faults{TearAfterAPDUs: 10}}, cccdSizes())
		r := &fileReader{t: c, c: chunker{limit: 256, short: true}}
		mustOK(t, c, apdu.SelectAID(chip.LDS1AID, false))
		_, err := r.read(ctx, chip.EFDG2)
		require.ErrorIs(t, err, sim.ErrRemoved)
		var fe *FileError
		require.ErrorAs(t, err, &fe)
		require.Equal(t, 9*256, fe.Offset)
	})
	t.Run("cancelled", func(t *testing.T) {
		c, _ := plainCard(t, sim.Config{ShortOnly: true}, cccdSizes())
		cctx, cancel := context.WithCancel(ctx)
		n := 0
		r := &fileReader{t: c, c: chunker{limit: 256, short: true}, progress: func(Progress) {
			if n++; n == 3 {
				cancel()
			}
		}}
		mustOK(t, c, apdu.SelectAID(chip.LDS1AID, false))
		_, err := r.read(cctx, chip.EFDG2)
		require.True(t, errors.Is(err, context.Canceled))
		require.Equal(t, 1+3, c.Stats().APDUs, "stops within one APDU")
	})
}

func TestIssueDate(t *testing.T) {
	_, imgs := fixtures(t)
	doc, err := chip.ParseDocument(imgs[sim.ProfileCCCD].Files)
	require.NoError(t, err)
	require.Equal(t, "2021-01-01", issueDate(doc).Format("2006-01-02"), "DG13 date of issue")
	doc, err = chip.ParseDocument(imgs[sim.ProfileICAOPassport].Files)
	require.NoError(t, err)
	require.True(t, issueDate(doc).IsZero(), "no DG12")
	require.True(t, issueDate(nil).IsZero())
}

func TestParseMRZKey(t *testing.T) {
	k, err := ParseMRZKey(" 090012345 , 900101,350101")
	require.NoError(t, err)
	require.Equal(t, "090012345090010113501014", string(k.mrz.Bytes()))
	// Letters as an operator may type them: the MRZ's upper case.
	kl, err := ParseMRZKey("c03001234,900101,350101")
	require.NoError(t, err)
	ku, err := ParseMRZKey("C03001234,900101,350101")
	require.NoError(t, err)
	require.Equal(t, ku, kl)
	for _, bad := range []string{"", "090012345,900101", "090012345,9001,350101", "09001234%,900101,350101"} {
		_, err := ParseMRZKey(bad)
		require.ErrorIs(t, err, ErrKeySyntax, bad)
		if bad != "" {
			require.NotContains(t, err.Error(), "090012345")
		}
	}
	_, imgs := fixtures(t)
	k2, err := KeyFromDG1(imgs[sim.ProfileCCCD].Files[chip.EFDG1])
	require.NoError(t, err)
	require.Equal(t, k, k2)
	_, err = KeyFromDG1([]byte{0x61, 0x00})
	require.Error(t, err)
}

// TestKeyFromFlags: the key of a command line's --mrz or --can, or a
// simulated card's DG1; every wrong use a *KeyFlagsError that never
// repeats the value.
func TestKeyFromFlags(t *testing.T) {
	_, imgs := fixtures(t)
	dg1 := imgs[sim.ProfileCCCD].Files[chip.EFDG1]
	fromDG1, err := KeyFromDG1(dg1)
	require.NoError(t, err)
	fromMRZ, err := ParseMRZKey("090012345,900101,350101")
	require.NoError(t, err)
	for _, tc := range []struct {
		name, mrz, can string
		dg1            []byte
		want           Key
		msg            string
		syntax         bool
	}{
		{name: "can", can: "012345", dg1: dg1, want: CANKey("012345")},
		{name: "mrz", mrz: "090012345,900101,350101", dg1: dg1, want: fromMRZ},
		{name: "dg1", dg1: dg1, want: fromDG1},
		{name: "both", mrz: "090012345,900101,350101", can: "012345", msg: "give --mrz or --can, not both"},
		{name: "neither", msg: "give --mrz or --can"},
		{name: "can not digits", can: "01234x", msg: "--can: want the digits of the card access number printed on the card (6 on a CCCD)"},
		{name: "mrz syntax", mrz: "090012345,900101", msg: "--mrz: " + ErrKeySyntax.Error(), syntax: true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			k, err := KeyFromFlags(tc.mrz, tc.can, tc.dg1)
			if tc.msg == "" {
				require.NoError(t, err)
				require.Equal(t, tc.want, k)
				return
			}
			var fe *KeyFlagsError
			require.ErrorAs(t, err, &fe)
			require.Equal(t, tc.msg, err.Error())
			require.Equal(t, tc.syntax, errors.Is(err, ErrKeySyntax))
			require.Equal(t, Key{}, k)
		})
	}
	_, err = KeyFromFlags("", "", []byte{0x61, 0x00})
	require.Error(t, err)
	_, isFlags := errors.AsType[*KeyFlagsError](err)
	require.False(t, isFlags, "a DG1 that does not parse is not a flag error")
}
