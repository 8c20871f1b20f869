package eac

import (
	"crypto"
	cryptorand "crypto/rand"
	"io"
	"time"

	"github.com/cancuoc/cancuoc/crypto/cvc"
)

// Config configures the terminal side of Chip Authentication
// (ChipAuthenticate) and Terminal Authentication (TerminalAuthenticate),
// as one crypto/tls Config serves a whole handshake. A nil *Config means
// all defaults; Terminal Authentication needs Chain and Signer.
type Config struct {
	// Rand supplies the terminal's ephemeral Chip Authentication key and
	// goes to Signer in Terminal Authentication. Nil means
	// crypto/rand.Reader.
	Rand io.Reader
	// Chain is the certificates Terminal Authentication sends, from the
	// one the chip's trust point verifies (a CVCA link certificate or the
	// DV certificate) down to the terminal's (IS) certificate. The CAR the
	// chip returned after PACE, or its DG14/EF.CVCA, tells which CVCA it
	// trusts. None by default.
	Chain []*cvc.Certificate
	// Signer is the terminal's private key, of the last certificate's
	// public key; it may live in an HSM. ECDSA signatures are sent in the
	// plain format, converted from DER when needed. Nil by default.
	Signer crypto.Signer
}

func (c *Config) rand() io.Reader {
	if c == nil || c.Rand == nil {
		return cryptorand.Reader
	}
	return c.Rand
}

func (c *Config) chain() []*cvc.Certificate {
	if c == nil {
		return nil
	}
	return c.Chain
}

func (c *Config) signer() crypto.Signer {
	if c == nil {
		return nil
	}
	return c.Signer
}

// ChipConfig configures the chip side of Chip and Terminal Authentication
// beyond its Chip Authentication keys (the argument of NewChip). A nil
// *ChipConfig means all defaults: a chip without trust points, which
// refuses Terminal Authentication.
type ChipConfig struct {
	// Rand supplies the challenges of Terminal Authentication. Nil means
	// crypto/rand.Reader.
	Rand io.Reader
	// TrustPoints are the CVCA certificates whose keys the chip trusts for
	// Terminal Authentication (one, or two during a key rollover). None by
	// default: Terminal Authentication commands are then refused.
	TrustPoints []*cvc.Certificate
	// Date is the chip's current date at personalization, typically the
	// issuing date; verified certificates advance it. It is the chip's
	// stored date, not a clock (a chip has none). Zero by default: no
	// certificate has expired yet for the chip.
	Date time.Time
	// IDPICC is ID_PICC, the chip's identifier that the terminal's Terminal
	// Authentication signature covers: Comp of the chip's ephemeral PACE key
	// after PACE, the document number with its check digit after BAC. Nil
	// by default.
	IDPICC []byte
}

func (c *ChipConfig) rand() io.Reader {
	if c == nil || c.Rand == nil {
		return cryptorand.Reader
	}
	return c.Rand
}
