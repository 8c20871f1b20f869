// Package reader is the host side of an eMRTD read: it opens a chip (PACE,
// or BAC where allowed), reads its files with the fewest APDUs the card and
// the link allow, and verifies what it read.
//
// # Fewest APDUs
//
// Every APDU costs a real card 10 to 50 ms, so the reader counts them. A
// file is read by its short EF identifier (READ BINARY with P1 = '80' | SFI,
// which selects it: no SELECT), asking at once for the largest response the
// link allows; the TLV header in that first response gives the file's
// length, and the rest comes in the largest chunks, with INS 'B1' and an
// offset DO '54' past offset 32767. A card that refuses a size with '6700'
// makes the reader shrink it (by quarters down to 1 KiB, then short length,
// then by 32 bytes from 256) and keep the smaller size; a plain '6700' to
// an extended protected command (sm.ErrLengthRejected: the counter is
// rolled back in step) sends it to short length; '6CXX' gives the exact
// length; '61XX' brings the rest of a long response with GET RESPONSE,
// below secure messaging, so that an RSA-2048 Active Authentication
// signature comes back on short links. Whether to try
// extended length at all comes from the ATR's card capabilities, or, when
// the ATR does not say (contactless ATRs built by PC/SC readers often
// don't), from the extended length information of EF.ATR/INFO: one more
// APDU, against reading a 15 KB face in 70 short ones.
//
// Under secure messaging the largest plain chunk C is sm.MaxPlainResponse(L,
// b) for the card's response limit L (256 for short APDUs, up to 65536
// with extended length) and the cipher block b: 223 bytes with AES and 231
// with 3DES in short APDUs, 65503 with AES in one extended response. The
// minimum number of APDUs to read files of sizes s1..sn is then
//
//	sum over i of ceil(si / C)
//
// plus the fixed cost of the protocols, each at its minimum:
//
//	EF.CardAccess         1  (READ BINARY by SFI in the MF, also to learn that a BAC-only chip has none)
//	PACE                  5  (MSE:Set AT, four GENERAL AUTHENTICATE), then SELECT of LDS1: 1
//	BAC                   3  (SELECT of LDS1, GET CHALLENGE, EXTERNAL AUTHENTICATE)
//	Chip Authentication   2  (MSE:Set AT, GENERAL AUTHENTICATE; 1 with 3DES: MSE:Set KAT)
//	Terminal Auth.        2k+3 for k certificates (MSE:Set DST and PSO:Verify Certificate each,
//	                         MSE:Set AT, GET CHALLENGE, EXTERNAL AUTHENTICATE)
//	Active Authentication 1  (INTERNAL AUTHENTICATE; and one GET RESPONSE for RSA-2048 on short links)
//
// C changes when Chip Authentication replaces the session keys: EF.COM and
// DG14, read before it, use the access protocol's cipher; the other files
// the new one. Chip Authentication is proven by the next protected read
// (no probe APDU). The tests hold every read of the simulated CCCD and
// passport to exactly this minimum, and BenchmarkRead reports the counts:
// a CCCD (EF.COM, DG1, DG2 of 15 KB, DG13, DG14, DG15, EF.SOD) takes 17
// APDUs with extended length and 93 with short APDUs only. A chip without
// EF.CardAccess costs 2 more: the reader selects the master file (or the
// file by its path) and asks again, since a card left on the reader may
// still be inside the application of an earlier session.
//
// # Verdicts
//
// Each check has a check.Name and a check.Status (package check, the
// vocabulary crypto/pki's checks share): Passed, Failed, NotRun or
// Incomplete. Incomplete, with ErrIncomplete, is a read the card, the
// link or the session cut short (a card removed: ErrCardRemoved, through
// PC/SC and the simulator alike): it proves nothing either way and is
// never verified. Only cryptographic
// evidence makes a clone: the first protected exchange under the Chip
// Authentication keys failing cryptographically (eac.CheckResponse) twice in
// a row, under two Chip Authentications; after one failure, or a session
// that dies during or right after Chip Authentication, the reader opens the
// chip again and runs it again. PACE that fails for a reason other than the
// password (a lost or corrupted message) runs again, and an EF.CardAccess
// that does not parse is read again, within Config.Retries. The tear and
// kill tests hold every fault of the link at every APDU of a full read to
// a verified document or an incomplete read. A data group the card does not have or
// refuses is recorded in Result.Files and the read goes on; the verdict
// names what is missing. BAC on a chip whose DG14 announces PACE is never
// verified unless the caller chose it (Config.UseBAC), fallback or not.
//
// What "verified" means is the caller's policy (package policy,
// Config.Policy; policy.Default, lenient, when none is named): Result.Facts
// turns the checks into plain facts, and Result.Verdict, Result.Reasons and
// Result.Verified decide under Result.Policy. The facts of files without a
// chip session (a folder, an upload, an evidence bundle) come from
// VerifyFiles and FilesFacts, so that a server and an auditor reach the
// verdict a read would. Result.ActiveAuthProof keeps the Active
// Authentication challenge and signature for package evidence.
package reader
