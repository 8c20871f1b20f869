package pki

import (
	"crypto/rand"
	"io"
)

func defaultRand() io.Reader { return rand.Reader }
