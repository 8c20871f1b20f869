module github.com/cancuoc/cancuoc

go 1.26.0

require (
	filippo.io/bigmod v0.1.0
	filippo.io/nistec v0.0.4
	github.com/ThalesGroup/crypto11 v1.6.2
	github.com/coder/websocket v1.8.15
	github.com/ebfe/scard v0.0.0-20230420082256-7db3f9b7c8a7
	github.com/google/go-cmp v0.7.0
	github.com/miekg/pkcs11 v1.1.2
	github.com/stretchr/testify v1.12.1
	golang.org/x/crypto v0.58.0
)

require (
	github.com/pkg/errors v0.9.1 // indirect
	github.com/thales-e-security/pool v0.0.2 // indirect
	go.yaml.in/yaml/v3 v3.0.5 // indirect
	golang.org/x/sys v0.49.0 // indirect
)
