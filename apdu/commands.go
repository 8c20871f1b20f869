package apdu

import (
	"github.com/cancuoc/cancuoc/tlv"
)

// Instruction bytes of the commands an eMRTD reader sends.
const (
	INSSelect                    = 0xA4
	INSReadBinary                = 0xB0
	INSReadBinaryOdd             = 0xB1
	INSGetChallenge              = 0x84
	INSExternalAuthenticate      = 0x82
	INSInternalAuthenticate      = 0x88
	INSGeneralAuthenticate       = 0x86
	INSManageSecurityEnv         = 0x22
	INSPerformSecurityOp         = 0x2A
	INSGetResponse               = 0xC0
	INSVerify                    = 0x20
	INSUpdateBinary              = 0xD6
	CLAChaining             byte = 0x10
)

// SelectBy is P1 of SELECT (ISO/IEC 7816-4 §11.2.2, table 63).
type SelectBy byte

const (
	SelectByFID       SelectBy = 0x00 // MF, DF or EF by file identifier (or MF by no data)
	SelectChildDF     SelectBy = 0x01 // child DF of the current DF
	SelectEFUnderDF   SelectBy = 0x02 // EF under the current DF
	SelectParentDF    SelectBy = 0x03 // parent DF of the current DF (no data)
	SelectByDFName    SelectBy = 0x04 // application by its name (AID)
	SelectPathFromMF  SelectBy = 0x08 // path from the MF, without 3F00
	SelectPathFromCur SelectBy = 0x09 // path from the current DF
)

// SelectReturn is P2 of SELECT: what the card returns (table 64).
type SelectReturn byte

const (
	ReturnFCI  SelectReturn = 0x00 // file control information, template '6F'
	ReturnFCP  SelectReturn = 0x04 // file control parameters, template '62'
	ReturnFMD  SelectReturn = 0x08 // file management data, template '64'
	ReturnNone SelectReturn = 0x0C // no response data
)

// LDS1AID is the application identifier of the eMRTD LDS1 application,
// A0 00 00 02 47 10 01 (ICAO Doc 9303-10 §3.1).
var LDS1AID = []byte{0xA0, 0x00, 0x00, 0x02, 0x47, 0x10, 0x01}

// Select builds a SELECT command. When p2 asks for data, Ne is 256.
func Select(p1 SelectBy, p2 SelectReturn, data []byte) Command {
	c := Command{INS: INSSelect, P1: byte(p1), P2: byte(p2), Data: data}
	if p2 != ReturnNone {
		c.Ne = MaxShortNe
	}
	return c
}

// SelectAID selects an application by name: 00 A4 04 0C Lc AID, or with
// P2 00 and Le 00 when fci is set, to get the FCI.
func SelectAID(aid []byte, fci bool) Command {
	if fci {
		return Select(SelectByDFName, ReturnFCI, aid)
	}
	return Select(SelectByDFName, ReturnNone, aid)
}

// SelectMF selects the master file: 00 A4 00 0C 02 3F 00.
func SelectMF() Command { return Select(SelectByFID, ReturnNone, []byte{0x3F, 0x00}) }

// SelectEF selects an elementary file under the current DF by its file
// identifier, as ICAO Doc 9303-10 does it: 00 A4 02 0C 02 FID.
func SelectEF(fid uint16) Command {
	return Select(SelectEFUnderDF, ReturnNone, []byte{byte(fid >> 8), byte(fid)})
}

// SelectFID selects a file by its identifier with the given P1 (one of
// SelectByFID, SelectChildDF, SelectEFUnderDF) and P2.
func SelectFID(fid uint16, p1 SelectBy, p2 SelectReturn) Command {
	return Select(p1, p2, []byte{byte(fid >> 8), byte(fid)})
}

// SelectPath selects a file by its path of file identifiers, from the MF
// (without 3F00) when fromMF is set, from the current DF otherwise.
func SelectPath(path []uint16, fromMF bool, p2 SelectReturn) (Command, error) {
	if len(path) == 0 || 2*len(path) > MaxShortNc {
		return Command{}, formatErr("SELECT path", 0, ErrArgument)
	}
	data := make([]byte, 0, 2*len(path))
	for _, f := range path {
		data = append(data, byte(f>>8), byte(f))
	}
	p1 := SelectPathFromCur
	if fromMF {
		p1 = SelectPathFromMF
	}
	return Select(p1, p2, data), nil
}

// ReadBinary reads ne bytes (1..65536) at offset (0..32767) of the current
// EF: 00 B0 P1P2=offset Le.
func ReadBinary(offset, ne int) (Command, error) {
	if offset < 0 || offset > 0x7FFF {
		return Command{}, formatErr("READ BINARY offset", 0, ErrArgument)
	}
	if ne < 1 || ne > MaxNe {
		return Command{}, formatErr("READ BINARY", 0, ErrNe)
	}
	return Command{INS: INSReadBinary, P1: byte(offset >> 8), P2: byte(offset), Ne: ne}, nil
}

// ReadBinarySFI selects the EF with short file identifier sfi (1..30) and
// reads ne bytes at offset (0..255): P1 = '80' | SFI, P2 = offset.
func ReadBinarySFI(sfi byte, offset, ne int) (Command, error) {
	if sfi < 1 || sfi > 30 || offset < 0 || offset > 0xFF {
		return Command{}, formatErr("READ BINARY SFI", 0, ErrArgument)
	}
	if ne < 1 || ne > MaxNe {
		return Command{}, formatErr("READ BINARY SFI", 0, ErrNe)
	}
	return Command{INS: INSReadBinary, P1: 0x80 | sfi, P2: byte(offset), Ne: ne}, nil
}

// ReadBinaryOdd reads ne bytes at any offset (0..16777215) of the current
// EF with the odd instruction B1, the offset in a data object '54' (two
// bytes up to 65535, three above), as ICAO Doc 9303-10 §3.6.4 allows for
// files longer than 32767 bytes. The card answers with the data in an
// object '53': see ParseReadBinaryOdd.
func ReadBinaryOdd(offset, ne int) (Command, error) {
	if offset < 0 || offset > 0xFFFFFF {
		return Command{}, formatErr("READ BINARY B1 offset", 0, ErrArgument)
	}
	if ne < 1 || ne > MaxNe {
		return Command{}, formatErr("READ BINARY B1", 0, ErrNe)
	}
	var off []byte
	if offset <= 0xFFFF {
		off = []byte{byte(offset >> 8), byte(offset)}
	} else {
		off = []byte{byte(offset >> 16), byte(offset >> 8), byte(offset)}
	}
	return Command{INS: INSReadBinaryOdd, Data: tlv.AppendTLV(nil, 0x54, off), Ne: ne}, nil
}

// ParseReadBinaryOdd returns the file bytes carried in the discretionary
// data object '53' of a READ BINARY B1 response. The result aliases data.
func ParseReadBinaryOdd(data []byte) ([]byte, error) {
	t, err := tlv.ParseOne(data)
	if err != nil {
		return nil, &FormatError{What: "READ BINARY B1 response", Err: err}
	}
	if t.Tag != 0x53 {
		return nil, formatErr("READ BINARY B1 response", 0, tlv.ErrNotFound)
	}
	return t.Value, nil
}

// GetChallenge asks for n random bytes (8 for BAC): 00 84 00 00 n.
func GetChallenge(n int) Command {
	return Command{INS: INSGetChallenge, Ne: n}
}

// GetResponse fetches ne bytes of a response the card announced with
// 61XX: 00 C0 00 00 Le.
func GetResponse(ne int) Command { return Command{INS: INSGetResponse, Ne: ne} }

// ExternalAuthenticate sends an authentication cryptogram: 00 82 00 00 Lc
// data [Le]. BAC sends E.IFD||M.IFD with ne 40; Terminal Authentication
// sends a signature with ne 0.
func ExternalAuthenticate(data []byte, ne int) Command {
	return Command{INS: INSExternalAuthenticate, Data: data, Ne: ne}
}

// InternalAuthenticate sends a challenge for the card to sign (Active
// Authentication): 00 88 00 00 Lc challenge Le 00.
func InternalAuthenticate(challenge []byte) Command {
	return Command{INS: INSInternalAuthenticate, Data: challenge, Ne: MaxShortNe}
}

// GeneralAuthenticate sends one step of PACE or Chip Authentication v2/3:
// the given data objects wrapped in the dynamic authentication data
// template '7C', with Le 00. Every step but the last has the command
// chaining bit set in CLA ('10'), as ICAO Doc 9303-11 §4.4.4 requires.
func GeneralAuthenticate(objects []byte, last bool) Command {
	c := Command{INS: INSGeneralAuthenticate, Data: tlv.AppendTLV(nil, 0x7C, objects), Ne: MaxShortNe}
	if !last {
		c.CLA = CLAChaining
	}
	return c
}

// ParseDynamicAuthData returns the contents of the template '7C' of a
// GENERAL AUTHENTICATE response (aliasing data).
func ParseDynamicAuthData(data []byte) ([]byte, error) {
	t, err := tlv.ParseOne(data)
	if err != nil {
		return nil, &FormatError{What: "GENERAL AUTHENTICATE response", Err: err}
	}
	if t.Tag != 0x7C {
		return nil, formatErr("GENERAL AUTHENTICATE response", 0, tlv.ErrNotFound)
	}
	return t.Value, nil
}

// PSOVerifyCertificate sends a card verifiable certificate's body and
// signature (the contents of '7F21': '7F4E' and '5F37') for the chip to
// verify: 00 2A 00 BE Lc data. Wrap the Transmitter in WithChaining when
// the data may exceed what the card takes in one command.
func PSOVerifyCertificate(data []byte) Command {
	return Command{INS: INSPerformSecurityOp, P1: 0x00, P2: 0xBE, Data: data}
}

// MSE:SET P1-P2 values (ISO/IEC 7816-4 §11.5.11; ICAO Doc 9303-11).
const (
	MSESetATPACE uint16 = 0xC1A4 // authentication template for PACE
	MSESetKAT    uint16 = 0x41A6 // key agreement template, Chip Authentication v1 with 3DES
	MSESetDST    uint16 = 0x81B6 // digital signature template, Terminal Authentication certificates
	MSESetATTA   uint16 = 0x81A4 // authentication template for Terminal Authentication
	MSESetATCA   uint16 = 0x41A4 // authentication template for Chip Authentication
)

// MSESet builds MANAGE SECURITY ENVIRONMENT with the given P1-P2 (one of
// the MSESet* constants or any other) and control reference objects.
func MSESet(p1p2 uint16, objects []byte) Command {
	return Command{INS: INSManageSecurityEnv, P1: byte(p1p2 >> 8), P2: byte(p1p2), Data: objects}
}

// MSESetBuild builds MANAGE SECURITY ENVIRONMENT with objects written by f
// on a tlv.Builder.
func MSESetBuild(p1p2 uint16, f func(*tlv.Builder)) (Command, error) {
	var b tlv.Builder
	f(&b)
	data, err := b.Bytes()
	if err != nil {
		return Command{}, err
	}
	return MSESet(p1p2, data), nil
}

// Password references for PACE (ICAO Doc 9303-11 §4.4.4.1, object '83').
const (
	PACEPasswordMRZ byte = 0x01
	PACEPasswordCAN byte = 0x02
)

// MSESetPACE selects PACE: '80' the protocol OID (the contents bytes of
// the OBJECT IDENTIFIER, without tag and length), '83' the password
// reference, '84' the domain parameter identifier when paramID >= 0 (for
// several standardized parameter sets), '7F4C' a certificate holder
// authorization template when chat (the whole encoded '7F4C' object) is
// not nil.
func MSESetPACE(oid []byte, password byte, paramID int, chat []byte) (Command, error) {
	return MSESetBuild(MSESetATPACE, func(b *tlv.Builder) {
		b.Add(0x80, oid)
		b.AddByte(0x83, password)
		if paramID >= 0 {
			b.Add(0x84, minimalInt(paramID))
		}
		if chat != nil {
			b.AddRaw(chat)
		}
	})
}

// MSESetCA selects Chip Authentication (v2/v3 and v1 with AES): '80' the
// protocol OID contents, '84' the key identifier when keyID >= 0.
func MSESetCA(oid []byte, keyID int) (Command, error) {
	return MSESetBuild(MSESetATCA, func(b *tlv.Builder) {
		b.Add(0x80, oid)
		if keyID >= 0 {
			b.Add(0x84, minimalInt(keyID))
		}
	})
}

// MSESetCAKAT sends the terminal's ephemeral public key for Chip
// Authentication v1 with 3DES: '91' the key, '84' the key identifier when
// keyID >= 0.
func MSESetCAKAT(publicKey []byte, keyID int) (Command, error) {
	return MSESetBuild(MSESetKAT, func(b *tlv.Builder) {
		b.Add(0x91, publicKey)
		if keyID >= 0 {
			b.Add(0x84, minimalInt(keyID))
		}
	})
}

// MSESetDSTRef sets the public key with which the chip verifies the next
// certificate: '83' its reference (a certification authority reference,
// such as the CAR of a DV certificate).
func MSESetDSTRef(keyRef []byte) Command {
	return MSESet(MSESetDST, tlv.AppendTLV(nil, 0x83, keyRef))
}

// MSESetTA selects Terminal Authentication: '80' the protocol OID contents
// when not nil, '83' the terminal certificate's holder reference, '67'
// auxiliary authenticated data when not nil, '91' the compressed
// ephemeral public key of Chip Authentication when not nil.
func MSESetTA(oid, chr, aux, ephemeral []byte) (Command, error) {
	return MSESetBuild(MSESetATTA, func(b *tlv.Builder) {
		if oid != nil {
			b.Add(0x80, oid)
		}
		b.Add(0x83, chr)
		if aux != nil {
			b.Add(0x67, aux)
		}
		if ephemeral != nil {
			b.Add(0x91, ephemeral)
		}
	})
}

func minimalInt(v int) []byte {
	var out []byte
	for {
		out = append([]byte{byte(v)}, out...)
		v >>= 8
		if v == 0 {
			return out
		}
	}
}
