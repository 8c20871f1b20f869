package apdu

import "fmt"

// MaxResponseLen is the size of the longest response APDU: 65536 data
// bytes and the status word.
const MaxResponseLen = MaxNe + 2

// Response is a response APDU: the data field and the status word.
type Response struct {
	Data []byte
	SW   StatusWord
}

// ParseResponse splits a response APDU into data and status word. Data
// aliases b. Inputs shorter than 2 bytes or longer than MaxResponseLen are
// *FormatError values (ErrTooShort, ErrTooLong).
func ParseResponse(b []byte) (Response, error) {
	if len(b) < 2 {
		return Response{}, formatErr("response", len(b), ErrTooShort)
	}
	if len(b) > MaxResponseLen {
		return Response{}, formatErr("response", MaxResponseLen, ErrTooLong)
	}
	n := len(b) - 2
	return Response{Data: b[:n:n], SW: StatusWord(b[n])<<8 | StatusWord(b[n+1])}, nil
}

// Bytes encodes the response: data followed by SW1 SW2.
func (r Response) Bytes() []byte {
	return r.AppendTo(make([]byte, 0, len(r.Data)+2))
}

// AppendTo appends the encoded response to b.
func (r Response) AppendTo(b []byte) []byte {
	b = append(b, r.Data...)
	return append(b, r.SW.SW1(), r.SW.SW2())
}

// Err returns nil when the data of the response can be used as the
// complete answer to the command, and a *StatusError otherwise.
//
// Two status words count as success: 9000, and 6282 (end of file reached
// before Ne bytes were read), which READ BINARY returns with the last bytes
// of a file: the data is valid and simply shorter than asked. Every other
// status word is an error, including the other warnings (a 63CX answer to
// VERIFY means the verification failed) and 61XX/6CXX, which mean the
// answer is incomplete: WithChaining handles those two by itself.
func (r Response) Err() error {
	if r.SW == SWSuccess || r.SW == SWEndOfFile {
		return nil
	}
	return &StatusError{SW: r.SW}
}

// String describes the length of the data and the status word, never the
// data itself.
func (r Response) String() string {
	return fmt.Sprintf("R-APDU %d bytes, SW %s", len(r.Data), r.SW)
}

// ErrFor is Err with the INS of the command that got the response recorded
// in the *StatusError, for better messages.
func (r Response) ErrFor(cmd Command) error {
	if err := r.Err(); err != nil {
		return &StatusError{SW: r.SW, INS: cmd.INS}
	}
	return nil
}
