package eac

import (
	"context"

	"github.com/cancuoc/cancuoc/apdu"
	"github.com/cancuoc/cancuoc/crypto/cvc"
)

// ChallengeSize is the length of the chip's challenge r_PICC in Terminal
// Authentication.
const ChallengeSize = 8

// TerminalAuthenticate runs Terminal Authentication version 1 (BSI
// TR-03110-1 §2.4 and -3 B.3, ICAO Doc 9303-11 §7.1) as the terminal,
// after Chip Authentication, through t, the transmitter of the Chip
// Authentication session:
//
//  1. for each certificate of the chain: MSE:Set DST ('83' its CAR) and
//     PSO:Verify Certificate (its body and signature);
//  2. MSE:Set AT ('83' the CHR of the terminal certificate);
//  3. GET CHALLENGE for the 8-byte r_PICC;
//  4. EXTERNAL AUTHENTICATE with the signature over ID_PICC || r_PICC ||
//     Comp(PK_DH,IFD), under the algorithm of the terminal's key.
//
// Certificates are long: wrap t with apdu.WithChaining, or use extended
// length, when the protected PSO command exceeds a short APDU. On success
// the chip grants the rights of the chain's effective CHAT (DG3, DG4) for
// the rest of the session. A refusal is an *Error with the chip's status
// word: ErrAuthentication for 6300, ErrChip otherwise.
//
// idPICC is the chip's identifier: with PACE, Comp of the chip's ephemeral
// PACE key (pace.Result.IDPICC); with BAC, the document number with its
// check digit as in the MRZ (ICAO Doc 9303-11 §7.1). compressedKey is
// Comp(PK_DH,IFD) of the terminal's ephemeral Chip Authentication key
// (CAResult.CompressedTerminalKey). The terminal's credentials are
// config.Chain and config.Signer; without them the call fails with ErrSequence
// before anything is sent.
func TerminalAuthenticate(ctx context.Context, t apdu.Transmitter, idPICC, compressedKey []byte, config *Config) error {
	const op = "terminal authentication"
	chain, signer := config.chain(), config.signer()
	if len(chain) == 0 || signer == nil || len(idPICC) == 0 || len(compressedKey) == 0 {
		return newErr(op, 0, ErrSequence)
	}
	for _, c := range chain {
		data := c.VerifyData()
		if data == nil {
			return newErr("PSO:Verify Certificate", 0, ErrMalformed)
		}
		if err := send(ctx, t, "MSE:Set DST", apdu.MSESetDSTRef([]byte(c.CAR))); err != nil {
			return err
		}
		if err := send(ctx, t, "PSO:Verify Certificate", apdu.PSOVerifyCertificate(data)); err != nil {
			return err
		}
	}
	term := chain[len(chain)-1]
	cmd, err := apdu.MSESetTA(nil, []byte(term.CHR), nil, nil)
	if err != nil {
		return newErr("MSE:Set AT", 0, ErrMalformed)
	}
	if err := send(ctx, t, "MSE:Set AT", cmd); err != nil {
		return err
	}
	challenge, err := transmit(ctx, t, "GET CHALLENGE", apdu.GetChallenge(ChallengeSize))
	if err != nil {
		return err
	}
	if len(challenge) != ChallengeSize {
		return newErr("GET CHALLENGE", 0, ErrMalformed)
	}
	msg := taMessage(idPICC, challenge, compressedKey)
	sig, err := cvc.Sign(signer, term.PublicKey.Protocol, msg, &cvc.SignConfig{Rand: config.rand()})
	if err != nil {
		return &Error{Op: "EXTERNAL AUTHENTICATE", Err: ErrUnsupported, Cause: err}
	}
	return send(ctx, t, "EXTERNAL AUTHENTICATE", apdu.ExternalAuthenticate(sig, 0))
}

// taMessage is ID_PICC || r_PICC || Comp(PK_DH,IFD), the data the terminal
// signs (BSI TR-03110-3 B.11.6, version 1 without auxiliary data).
func taMessage(idPICC, challenge, comp []byte) []byte {
	msg := make([]byte, 0, len(idPICC)+len(challenge)+len(comp))
	msg = append(msg, idPICC...)
	msg = append(msg, challenge...)
	return append(msg, comp...)
}
