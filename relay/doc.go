// Package relay carries a chip's APDUs between the device that holds the
// card (a phone's NFC, a counter's PC/SC reader) and a server that runs the
// whole read itself, over a WebSocket: the relay protocol of PROTOCOL.md
// (subprotocol "cancuoc.relay.v1"). The device only moves bytes; session
// keys, the Chip Authentication proof and Terminal Authentication
// credentials never leave the server, so a modified app cannot make a
// forged read look genuine.
//
// The package knows APDUs (package apdu), not the reader: the server side
// is a transport that reader.Read runs over.
//
// # Frames
//
// Each frame is one JSON text message with a type "t": the client sends
// start, rsp, card_error and cancel; the server sends cmd, progress,
// result and error. Marshal, ParseClientFrame and ParseServerFrame encode
// and decode them with the protocol's limits (MaxFrame, MaxResult, field
// ranges); a broken frame gives a *FrameError wrapping ErrBadFrame,
// ErrFrameTooBig or ErrVersion. The access key in Start (an AccessKey) never
// prints or marshals to JSON except on the wire.
//
// # Server side: the contract
//
// A handler authenticates the request (API key, mTLS) and then:
//
//	s, start, err := relay.Accept(ctx, w, r, nil)
//	if err != nil {
//		return // the client was told (HTTP 400, or an error frame)
//	}
//	defer s.Close()
//	key := ...  // reader.CANKey(start.Key.CAN), or the MRZ key from start.Key
//	res, err := reader.Read(s.Context(), s, key, &reader.Config{
//		Progress: func(p reader.Progress) {
//			_ = s.Progress(relay.Progress{Stage: "read", File: p.File.String(), Read: p.Read, Total: p.Total})
//		},
//		// Extended from start.Extended, MaxResponse from start.MaxResponse
//	})
//	if cause := s.Cause(); cause != nil && relay.CodeOf(cause) == relay.CodeCancelled {
//		s.Fail(relay.CodeCancelled, "") // Cause says why a read ended early
//		return
//	}
//	s.Finish(resultJSON) // also for an incomplete read, while the client is there
//
// Accept upgrades the request (it answers 400 to a client that does not
// offer the subprotocol), takes the start frame from the request's
// StartHeader or reads it within Config.StartTimeout, and returns the
// Session and the Start. The StartHeader carries the access key: a server
// never logs it. The Session
// is an apdu.Transmitter and an apdu.RawTransport with an ATR() method:
// every Transmit sends a cmd frame and waits at most Config.APDUTimeout for
// the rsp frame of the same id. The session as a whole ends after
// Config.SessionTimeout, when ctx ends, when the client cancels, reports a
// card error, breaks the protocol or leaves; Context() ends then, and
// Transmit returns an error saying why (ErrAPDUTimeout, ErrSessionTimeout,
// ErrCancelled, a *CardError matching ErrCard, ErrBadFrame, ErrFrameTooBig,
// ErrClosed). None of them is a verdict on the document: a read cut short
// is incomplete, never a clone.
//
// Start.CardAccess, when the client sent it, is the chip's EF.CardAccess as
// the client read it: a server passes it to reader.Read as
// reader.Config.CardAccess with CardAccessFromChip, which spares the
// read's first APDU and checks it against DG14 like the file read over
// the relay.
//
// Exactly one of Finish (the result frame, then close 1000) and Fail (an
// error frame, then the code's close status, see CloseCode) ends a
// session; CodeOf gives the code for an error of Transmit. Finish still
// works after a failed Transmit while the client is connected, so an
// incomplete read gets its result. Close frees everything (deferred by the
// handler); on a session that was neither finished nor failed it sends
// the error frame of the session's cause first. One goroutine per session
// reads the client's frames; an idle session holds no read buffer beyond
// the connection's.
//
// # Client side
//
// Client.Run dials the server (ws:// or wss://, "Authorization: Bearer
// APIKEY" when an API key is set) with the start in the StartHeader (or as
// the first frame, Client.StartInFrame) and EF.CardAccess, read from the
// card before dialing, in the start (unless
// Client.ServerReadsCardAccess), carries each
// command to an apdu.RawTransport (reader/pcsc.Card, chip/sim.Card) and back,
// hands progress frames to a callback and returns the result's JSON. A card
// that fails (removed, mute) becomes a card_error frame and a *CardError;
// a server error frame an *Error; cancelling the context sends a cancel
// frame.
package relay
