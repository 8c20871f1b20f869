// Package archtest holds one test, TestDirectionOfUse: the module's
// packages import one another only in the direction shared/ARCHITECTURE.md
// draws ("Packages and their direction of use"). It reads the import
// lists of every package with go/build, offline, build tag pcsc included,
// and fails naming the package, the file's kind (code or tests) and the
// import that points the wrong way.
package archtest
