package mrz

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestTransliterate(t *testing.T) {
	for _, tt := range []struct{ in, want string }{
		// Vietnamese: every vowel with every tone mark and modifier, Đ.
		{"Nguyễn Văn Đức", "NGUYEN<VAN<DUC"},
		{"đặng thị hường", "DANG<THI<HUONG"},
		{"Ă Â Ê Ô Ơ Ư Đ ă â ê ô ơ ư đ", "A<A<E<O<O<U<D<A<A<E<O<O<U<D"},
		{"àáảãạ ằắẳẵặ ầấẩẫậ", "AAAAA<AAAAA<AAAAA"},
		{"ÀÁẢÃẠ ẰẮẲẴẶ ẦẤẨẪẬ", "AAAAA<AAAAA<AAAAA"},
		{"èéẻẽẹ ềếểễệ ÈÉẺẼẸ ỀẾỂỄỆ", "EEEEE<EEEEE<EEEEE<EEEEE"},
		{"ìíỉĩị ÌÍỈĨỊ", "IIIII<IIIII"},
		{"òóỏõọ ồốổỗộ ờớởỡợ", "OOOOO<OOOOO<OOOOO"},
		{"ÒÓỎÕỌ ỒỐỔỖỘ ỜỚỞỠỢ", "OOOOO<OOOOO<OOOOO"},
		{"ùúủũụ ừứửữự ÙÚỦŨỤ ỪỨỬỮỰ", "UUUUU<UUUUU<UUUUU<UUUUU"},
		{"ỳýỷỹỵ ỲÝỶỸỴ", "YYYYY<YYYYY"},
		// The same name in decomposed form (NFD): base letters and
		// combining marks.
		{"Nguye\u0302\u0303n Va\u0306n \u0110u\u031B\u0301c", "NGUYEN<VAN<DUC"},
		// Separators and punctuation (Part 3 §4.6).
		{"  Marie-Thérèse  ", "MARIE<THERESE"},
		{"O'Connor", "OCONNOR"},
		{"St. John", "ST<JOHN"},
		{"van der Berg, Jan", "VAN<DER<BERG<JAN"},
		{"A<<B", "A<B"},
		{"", ""},
		{"-", ""},
		// Part 3 §6 Latin table, first column.
		{"Ä Å Æ Ö Ø Ü Œ Ĳ Þ ß", "AE<AA<AE<OE<OE<UE<OE<IJ<TH<SS"},
		{"ä å æ ö ø ü œ ĳ þ", "AE<AA<AE<OE<OE<UE<OE<IJ<TH"},
		{"Ç Ð Ñ Ý ÿ Ł Ś Ž Ğ İ ı Ħ Ŋ Ŧ ſ", "C<D<N<Y<Y<L<S<Z<G<I<I<H<N<T<S"},
		{"Dvořák Łukasz Šťastný Ğüneş", "DVORAK<LUKASZ<STASTNY<GUENES"},
		{"L898902C3", "L898902C3"},
	} {
		got, err := Transliterate(tt.in)
		require.NoError(t, err, tt.in)
		require.Equal(t, tt.want, got, tt.in)
	}
	for _, tt := range []struct {
		in  string
		col int
	}{
		{"Иван", 1},
		{"Anna×", 5},
		{"a÷b", 2},
		{"李", 1},
		{"ab\xff", 3},
		{"x@y", 2},
	} {
		_, err := Transliterate(tt.in)
		require.ErrorIs(t, err, ErrCharset, tt.in)
		require.Equal(t, tt.col, err.(*Error).Column, tt.in)
	}
}

func TestTruncateName(t *testing.T) {
	for _, tt := range []struct {
		p, s   string
		width  int
		wp, ws string
		trunc  bool
	}{
		{"ERIKSSON", "ANNA<MARIA", 30, "ERIKSSON", "ANNA<MARIA", false},
		{"ERIKSSON", "", 30, "ERIKSSON", "", false},
		{"ERIKSSON", "ANNA<MARIA", 20, "ERIKSSON", "ANNA<MARIA", false},
		{"ERIKSSON", "ANNA<MARIA", 19, "ERIKSSON", "ANNA<MARI", true},
		// A cut just after a word leaves no filler at the end.
		{"ERIKSSON", "ANNA<MARIA", 15, "ERIKSSON", "ANNA", true},
		{"ERIKSSON", "ANNA<MARIA", 11, "ERIKSSON", "A", true},
		// No room for the secondary identifier's initial: the primary
		// identifier gives way.
		{"ERIKSSON", "ANNA<MARIA", 10, "ERIKSSO", "A", true},
		{"VAN<DER<BERG", "JAN", 8, "VAN<D", "J", true},
		{"VAN<DER<BERG", "JAN", 7, "VAN", "J", true},
		{"ERIKSSON", "", 5, "ERIKS", "", true},
		{"VAN<DER", "", 4, "VAN", "", true},
		{"ERIKSSON", "ANNA", 3, "ERI", "", true},
	} {
		p, s, trunc := TruncateName(tt.p, tt.s, tt.width)
		require.Equal(t, [3]any{tt.wp, tt.ws, tt.trunc}, [3]any{p, s, trunc}, "%s<<%s in %d", tt.p, tt.s, tt.width)
		n := len(p)
		if s != "" {
			n += 2 + len(s)
		}
		require.LessOrEqual(t, n, tt.width)
	}
}
