package relay

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// FuzzParseFrame: any bytes, from either side, parse to a frame that
// marshals back to bytes that parse to the same frame, or to a typed error;
// never a panic, never a frame over the limits.
func FuzzParseFrame(f *testing.F) {
	for _, s := range []string{
		`{"t":"start","v":1,"can":"123456","policy":"bank-face","atr":"O4CAAQE=","extended":true,"max_response":65536}`,
		`{"t":"start","v":1,"mrz":{"doc":"C01234567","birth":"900101","expiry":"350101"}}`,
		`{"t":"start","v":1,"can":"123456","card_access":"MTQwDQYIBAB/AAcCAgICAQEwDwYKBAB/AAcCAgMCAgIBATASBgoEAH8ABwICBAICAgECAgEN"}`,
		`{"t":"rsp","id":1,"apdu":"kAA="}`,
		`{"t":"card_error","id":7,"code":"tag_lost","msg":"tag was lost"}`,
		`{"t":"cancel","reason":"user"}`,
		`{"t":"cmd","id":1,"apdu":"ALCcAAAAAA==","timeout_ms":5000}`,
		`{"t":"progress","stage":"read","file":"DG2","read":4096,"total":15210}`,
		`{"t":"result","result":{"verdict":"verified"}}`,
		`{"t":"error","code":"apdu_timeout","msg":"no response"}`,
		`{"t":"rsp","id":1e3,"apdu":null}`,
		`{"t":"start","v":1.5}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		for _, parse := range []func([]byte) (Frame, error){
			ParseClientFrame,
			func(b []byte) (Frame, error) { return ParseServerFrame(b, 0) },
		} {
			fr, err := parse(b)
			if err != nil {
				var fe *FrameError
				require.True(t, asFrameError(err, &fe), "untyped error %v", err)
				continue
			}
			out, err := Marshal(fr)
			require.NoError(t, err, "a parsed %s frame does not marshal", fr.Type())
			again, err := parse(out)
			require.NoError(t, err, "a marshalled %s frame does not parse", fr.Type())
			out2, err := Marshal(again)
			require.NoError(t, err, "not stable: %s / %s", out, out2)
			require.Equal(t, string(out), string(out2), "not stable: %s / %s", out, out2)
		}
	})
}

func asFrameError(err error, fe **FrameError) bool {
	for err != nil {
		if e, ok := err.(*FrameError); ok {
			*fe = e
			return true
		}
		u, ok := err.(interface{ Unwrap() error })
		if !ok {
			return false
		}
		err = u.Unwrap()
	}
	return false
}
