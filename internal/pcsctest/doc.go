// Package pcsctest gives tests a real PC/SC stack: pcscd with the
// vsmartcard-vpcd driver, whose first reader ("Virtual PCD 00 00") takes a
// virtual card on localhost:35963.
//
// Start holds a lock shared by every test process of the module for the
// test's duration (the vpcd port of a reader takes one card at a time),
// starts pcscd when none is running and stops it again at the end. It skips
// the test with a message naming the missing Debian packages when they are
// absent, except under CI (CI=true), where a missing package fails the test:
// .ci/run installs them, so a skip there would hide a broken install.
//
// Everything but this comment builds only with the pcsc tag, so a test that
// would start or drive the machine-wide pcscd cannot be compiled into a plain
// "go test ./...": such tests live in files with "//go:build pcsc" (run by
// scripts/test, which adds -tags pcsc when the PC/SC headers are installed).
package pcsctest
