package relay

import (
	"bytes"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func ptr[T any](v T) *T { return &v }

// TestFrameRoundTrip: every frame encodes to the JSON of PROTOCOL.md and
// parses back to itself.
func TestFrameRoundTrip(t *testing.T) {
	for _, tc := range []struct {
		f      Frame
		json   string
		client bool
	}{
		{&Start{Version: 1, Key: CANKey("123456"), Policy: "bank-face", ATR: []byte{0x3B, 0x80, 0x80, 0x01, 0x01}, Extended: ptr(true), MaxResponse: 65536},
			`{"t":"start","v":1,"can":"123456","policy":"bank-face","atr":"O4CAAQE=","extended":true,"max_response":65536}`, true},
		{&Start{Version: 1, Key: CANKey("123456"), CardAccess: []byte{0x31, 0x00}},
			`{"t":"start","v":1,"can":"123456","card_access":"MQA="}`, true},
		{&Start{Version: 1, Key: MRZKey("C01234567", "900101", "350101")},
			`{"t":"start","v":1,"mrz":{"doc":"C01234567","birth":"900101","expiry":"350101"}}`, true},
		{&Response{ID: 1, APDU: []byte{0x90, 0x00}}, `{"t":"rsp","id":1,"apdu":"kAA="}`, true},
		{&CardError{ID: 7, Code: CardTagLost, Msg: "tag was lost"}, `{"t":"card_error","id":7,"code":"tag_lost","msg":"tag was lost"}`, true},
		{&Cancel{Reason: "user"}, `{"t":"cancel","reason":"user"}`, true},
		{&Cancel{}, `{"t":"cancel"}`, true},
		{&Command{ID: 1, APDU: []byte{0x00, 0xB0, 0x9C, 0x00, 0x00, 0x00, 0x00}, Timeout: 5 * time.Second},
			`{"t":"cmd","id":1,"apdu":"ALCcAAAAAA==","timeout_ms":5000}`, false},
		{&Progress{Stage: "read", File: "DG2", Read: 4096, Total: 15210}, `{"t":"progress","stage":"read","file":"DG2","read":4096,"total":15210}`, false},
		{&Progress{Stage: "read", File: "EF.COM", Read: 0, Total: 0}, `{"t":"progress","stage":"read","file":"EF.COM","read":0,"total":0}`, false},
		{&Progress{Stage: "verify"}, `{"t":"progress","stage":"verify"}`, false},
		{&Result{Result: json.RawMessage(`{"verdict":"verified"}`)}, `{"t":"result","result":{"verdict":"verified"}}`, false},
		{&Error{Code: CodeAPDUTimeout, Msg: "no response"}, `{"t":"error","code":"apdu_timeout","msg":"no response"}`, false},
	} {
		t.Run(tc.f.Type(), func(t *testing.T) {
			b, err := Marshal(tc.f)
			require.NoError(t, err)
			require.JSONEq(t, tc.json, string(b))
			parse := func(b []byte) (Frame, error) { return ParseServerFrame(b, 0) }
			other := ParseClientFrame
			if tc.client {
				parse, other = ParseClientFrame, func(b []byte) (Frame, error) { return ParseServerFrame(b, 0) }
			}
			f, err := parse([]byte(tc.json))
			require.NoError(t, err)
			require.Equal(t, tc.f, f)
			_, err = other([]byte(tc.json))
			require.ErrorIs(t, err, ErrBadFrame, "a frame of the other side is refused")
		})
	}
}

// TestResultByteForByte: a result frame carries the result document byte
// for byte (indenting and all, as the evidence bundle inside needs), and
// the client gets those bytes back.
func TestResultByteForByte(t *testing.T) {
	for _, doc := range []string{
		"{\n  \"evidence\": {\n    \"format\": \"x\",\n    \"s\": \"a \\u003c\\\"b\\\" \\n\"\n  }\n}",
		"{\"a\":1}",
	} {
		b, err := Marshal(&Result{Result: json.RawMessage("\n " + doc + "\n")})
		require.NoError(t, err)
		require.Equal(t, `{"t":"result","result":`+doc+`}`, string(b))
		f, err := ParseServerFrame(b, 0)
		require.NoError(t, err)
		require.Equal(t, doc, string(f.(*Result).Result))
	}
	_, err := Marshal(&Result{Result: json.RawMessage(`{"a":1}}`)})
	require.ErrorIs(t, err, ErrBadFrame)
	_, err = Marshal(&Result{Result: json.RawMessage(`[1]`)})
	require.ErrorIs(t, err, ErrBadFrame)
}

func TestParseRejects(t *testing.T) {
	big := strings.Repeat("A", MaxFrame)
	for _, tc := range []struct {
		name, in string
		want     error
	}{
		{"not json", `{"t":`, ErrBadFrame},
		{"array", `[1]`, ErrBadFrame},
		{"no type", `{"id":1}`, ErrBadFrame},
		{"unknown type", `{"t":"hello"}`, ErrBadFrame},
		{"wrong field type", `{"t":"rsp","id":"1","apdu":"kAA="}`, ErrBadFrame},
		{"bad base64", `{"t":"rsp","id":1,"apdu":"kA"}`, ErrBadFrame},
		{"id 0", `{"t":"rsp","id":0,"apdu":"kAA="}`, ErrBadFrame},
		{"id negative", `{"t":"rsp","id":-1,"apdu":"kAA="}`, ErrBadFrame},
		{"id too big", `{"t":"rsp","id":2147483648,"apdu":"kAA="}`, ErrBadFrame},
		{"apdu 1 byte", `{"t":"rsp","id":1,"apdu":"kA=="}`, ErrBadFrame},
		{"apdu missing", `{"t":"rsp","id":1}`, ErrBadFrame},
		{"oversized", `{"t":"rsp","id":1,"apdu":"` + big + `"}`, ErrFrameTooBig},
		{"version 2", `{"t":"start","v":2,"can":"123456"}`, ErrVersion},
		{"version missing", `{"t":"start","can":"123456"}`, ErrVersion},
		{"no key", `{"t":"start","v":1}`, ErrBadFrame},
		{"both keys", `{"t":"start","v":1,"can":"123456","mrz":{"doc":"C1","birth":"900101","expiry":"350101"}}`, ErrBadFrame},
		{"can letters", `{"t":"start","v":1,"can":"12a456"}`, ErrBadFrame},
		{"can long", `{"t":"start","v":1,"can":"12345678901234567"}`, ErrBadFrame},
		{"mrz lower", `{"t":"start","v":1,"mrz":{"doc":"c1","birth":"900101","expiry":"350101"}}`, ErrBadFrame},
		{"mrz date", `{"t":"start","v":1,"mrz":{"doc":"C1","birth":"9001","expiry":"350101"}}`, ErrBadFrame},
		{"policy chars", `{"t":"start","v":1,"can":"1","policy":"a b"}`, ErrBadFrame},
		{"atr long", `{"t":"start","v":1,"can":"1","atr":"` + strings.Repeat("A", 48) + `"}`, ErrBadFrame},
		{"max_response", `{"t":"start","v":1,"can":"1","max_response":65537}`, ErrBadFrame},
		{"card_access long", `{"t":"start","v":1,"can":"1","card_access":"` + strings.Repeat("A", (MaxCardAccess+3)/3*4) + `"}`, ErrBadFrame},
		{"card_access not base64", `{"t":"start","v":1,"can":"1","card_access":"MQ"}`, ErrBadFrame},
		{"card error code", `{"t":"card_error","id":1,"code":"boom"}`, ErrBadFrame},
		{"msg long", `{"t":"card_error","id":1,"code":"io","msg":"` + strings.Repeat("x", MaxText+1) + `"}`, ErrBadFrame},
		{"reason not utf-8", `{"t":"cancel","reason":"\xff"}`, ErrBadFrame},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseClientFrame([]byte(tc.in))
			require.ErrorIs(t, err, tc.want)
			var fe *FrameError
			require.ErrorAs(t, err, &fe)
			require.NotContains(t, err.Error(), "123456", "errors never repeat a key")
		})
	}
	for _, tc := range []struct {
		name, in string
		want     error
	}{
		{"cmd apdu short", `{"t":"cmd","id":1,"apdu":"ALA="}`, ErrBadFrame},
		{"cmd timeout", `{"t":"cmd","id":1,"apdu":"ALCcAA==","timeout_ms":-1}`, ErrBadFrame},
		{"cmd timeout long", `{"t":"cmd","id":1,"apdu":"ALCcAA==","timeout_ms":600001}`, ErrBadFrame},
		{"progress no stage", `{"t":"progress"}`, ErrBadFrame},
		{"progress negative", `{"t":"progress","stage":"read","file":"DG1","read":-1,"total":3}`, ErrBadFrame},
		{"result not object", `{"t":"result","result":[1]}`, ErrBadFrame},
		{"result missing", `{"t":"result"}`, ErrBadFrame},
		{"error no code", `{"t":"error","msg":"x"}`, ErrBadFrame},
		{"cmd oversized", `{"t":"cmd","id":1,"apdu":"` + big + `"}`, ErrFrameTooBig},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseServerFrame([]byte(tc.in), 0)
			require.ErrorIs(t, err, tc.want)
		})
	}
	// A result may be larger than other frames, up to the client's limit.
	res := `{"t":"result","result":{"x":"` + big + `"}}`
	_, err := ParseServerFrame([]byte(res), 0)
	require.NoError(t, err)
	_, err = ParseServerFrame([]byte(res), 1000)
	require.ErrorIs(t, err, ErrFrameTooBig)
}

// TestLimitsFit: the largest APDUs fit in a frame, base64 and all.
func TestLimitsFit(t *testing.T) {
	b, err := Marshal(&Command{ID: MaxID, APDU: make([]byte, MaxCommandAPDU), Timeout: MaxTimeout})
	require.NoError(t, err)
	require.LessOrEqual(t, len(b), MaxFrame)
	b, err = Marshal(&Response{ID: MaxID, APDU: make([]byte, MaxResponseAPDU)})
	require.NoError(t, err)
	require.LessOrEqual(t, len(b), MaxFrame)
	_, err = Marshal(&Response{ID: 1, APDU: make([]byte, MaxResponseAPDU+1)})
	require.ErrorIs(t, err, ErrBadFrame)
}

// TestAccessKeyNeverPrints: the key in a Start frame stays out of every
// format, JSON and log.
func TestAccessKeyNeverPrints(t *testing.T) {
	for _, s := range []Start{
		{Version: 1, Key: CANKey("987654")},
		{Version: 1, Key: MRZKey("C01234567", "900101", "350101")},
	} {
		var logBuf bytes.Buffer
		slog.New(slog.NewJSONHandler(&logBuf, nil)).Info("start", "start", s, "key", s.Key)
		j, err := json.Marshal(s)
		require.NoError(t, err)
		for _, out := range []string{
			fmt.Sprintf("%v %+v %#v %s %d %x %q", s, s, s, s.Key, s.Key, s.Key, s.Key),
			fmt.Sprint(&s), string(j), logBuf.String(),
		} {
			for _, secret := range []string{"987654", "C01234567", "900101", "350101"} {
				require.NotContains(t, out, secret)
			}
		}
	}
}

func TestCodes(t *testing.T) {
	for _, tc := range []struct {
		err  error
		code Code
		cl   int
	}{
		{frameErr("rsp", ErrBadFrame, "x"), CodeBadFrame, 1002},
		{frameErr("", ErrFrameTooBig, "x"), CodeTooBig, 1009},
		{frameErr("start", ErrVersion, "x"), CodeVersion, 4004},
		{&CardError{ID: 3, Code: CardTagLost}, CodeCard, 4000},
		{fmt.Errorf("read: %w", ErrAPDUTimeout), CodeAPDUTimeout, 4001},
		{ErrSessionTimeout, CodeSessionTimeout, 4002},
		{ErrCancelled, CodeCancelled, 4003},
		{&Error{Code: CodeAccessDenied}, CodeAccessDenied, 4006},
		{fmt.Errorf("x: %w", errCtx{}), CodeInternal, 1011},
	} {
		require.Equal(t, tc.code, CodeOf(tc.err), tc.err.Error())
		require.EqualValues(t, tc.cl, CloseCode(tc.code))
	}
	require.Equal(t, Code(""), CodeOf(nil))
}

type errCtx struct{}

func (errCtx) Error() string { return "something else" }

func TestTruncate(t *testing.T) {
	s := strings.Repeat("ế", 300) // 3 bytes each
	out := truncate(s)
	require.LessOrEqual(t, len(out), MaxText)
	require.NoError(t, text("error", "msg", out))
	require.Equal(t, "a\uFFFDb", truncate("a\xffb"))
}
