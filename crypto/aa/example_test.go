package aa_test

import (
	"context"
	"crypto"
	"crypto/rsa"
	"errors"
	"fmt"

	cryptorand "crypto/rand"

	"github.com/cancuoc/cancuoc/apdu"
	"github.com/cancuoc/cancuoc/crypto/aa"
	"github.com/cancuoc/cancuoc/crypto/ec"
)

// A terminal authenticates a chip with the key of its DG15. Here the chip
// side of this package plays the card.
func Example() {
	key, err := ec.GenerateKey(ec.BrainpoolP256r1(), cryptorand.Reader)
	if err != nil {
		panic(err)
	}
	card, err := aa.NewChip(key, nil)
	if err != nil {
		panic(err)
	}
	// What the issuer writes: DG15 with the public key, DG14 with the
	// ActiveAuthenticationInfo.
	spki, err := card.SubjectPublicKeyInfo()
	if err != nil {
		panic(err)
	}
	info := card.Info()

	// The terminal reads them and prepares the key once.
	v, err := aa.NewVerifier(spki, info)
	if err != nil {
		panic(err)
	}

	// The terminal's transmitter; a reader would use PC/SC or NFC.
	t := apdu.TransmitterFunc(func(_ context.Context, cmd apdu.Command) (apdu.Response, error) {
		return card.Handle(cmd)
	})
	err = aa.Authenticate(context.Background(), t, v, nil) // nil: the default Config
	fmt.Println("genuine chip:", err)

	// A clone: same DG15, another private key.
	other, _ := ec.GenerateKey(ec.BrainpoolP256r1(), cryptorand.Reader)
	clone, _ := aa.NewChip(other, nil)
	t = func(_ context.Context, cmd apdu.Command) (apdu.Response, error) {
		return clone.Handle(cmd)
	}
	err = aa.Authenticate(context.Background(), t, v, nil) // nil: the default Config
	fmt.Println("clone detected:", errors.Is(err, aa.ErrSignature))
	// Output:
	// genuine chip: <nil>
	// clone detected: true
}

// A reader without extended-length APDUs cannot receive the 384 bytes of
// an RSA-3072 signature: Authenticate says so instead of failing the
// signature.
func ExampleAuthenticate_shortLink() {
	key, err := rsa.GenerateKey(cryptorand.Reader, 3072)
	if err != nil {
		panic(err)
	}
	v, err := aa.NewVerifier(&key.PublicKey, nil)
	if err != nil {
		panic(err)
	}
	fmt.Println("response bytes:", v.ResponseLen(), "extended:", v.NeedsExtendedLength())
	var t apdu.TransmitterFunc = func(context.Context, apdu.Command) (apdu.Response, error) {
		panic("nothing is sent")
	}
	err = aa.Authenticate(context.Background(), t, v, &aa.Config{ShortOnly: true})
	fmt.Println(errors.Is(err, aa.ErrNeedsExtendedLength))
	// Output:
	// response bytes: 384 extended: true
	// true
}

// The explicit trailer 'xxCC' names the hash by its ISO/IEC 10118-3
// identifier.
func ExampleHashIdentifier() {
	for _, h := range []crypto.Hash{crypto.SHA1, crypto.SHA256, crypto.SHA384, crypto.SHA512, crypto.SHA224} {
		id, _ := aa.HashIdentifier(h)
		fmt.Printf("%v: %02X\n", h, id)
	}
	// Output:
	// SHA-1: 33
	// SHA-256: 34
	// SHA-384: 36
	// SHA-512: 35
	// SHA-224: 38
}
