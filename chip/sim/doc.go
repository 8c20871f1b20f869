// Package sim is a software eMRTD chip: the card side of ICAO Doc 9303 as a
// Vietnamese chip-based identity card (CCCD) or a passport shows it to a
// reader.
//
// A card is made from an Image, which holds every file of the chip (EF.COM,
// the data groups, EF.SOD, EF.CardAccess, ...) and the secrets the chip keeps
// (the MRZ information and CAN that open it, the private keys of Active and
// Chip Authentication). New turns an Image into a Card that answers command
// APDUs the way ISO/IEC 7816-4 and Doc 9303-10 say a chip does:
//
//   - SELECT of the LDS1 application by AID, of its files by FID (P2 '0C'
//     without and '00'/'04' with FCP), of EF.CardAccess, EF.CardSecurity,
//     EF.ATR/INFO and EF.DIR in the master file before the application is
//     selected, and by path;
//   - READ BINARY with an offset (INS 'B0'), with a short EF identifier in
//     P1, and with an offset data object '54' (INS 'B1'); short and extended
//     Le; '6282' when the file ends before Ne bytes, '6B00' past its end;
//   - access rules: before the chip is opened (BAC, PACE) only the files of
//     the master file can be read; Config.OpenAccess models the early
//     passports that had no access control.
//
// Config selects what real cards differ in (the largest response, extended
// length, the CCCD's answer '6D00' to SELECT MF) and Faults make the card
// misbehave on purpose for tests: torn away after some APDUs or bytes, a
// corrupted response, a slow answer.
//
// The card is used in process as an apdu.Transmitter (Card.Transmit), as raw
// bytes (Card.TransmitRaw, an apdu.RawTransport) and through a real PC/SC
// stack with package chip/sim/vpcd (Card.VPCD).
//
// An Image holds secrets; Save writes it with mode 0600 and the file must be
// protected as a key file would be.
package sim
