package chip

import (
	"strconv"
	"strings"

	"github.com/cancuoc/cancuoc/tlv"
)

// File names one elementary file of an eMRTD chip: EF.COM, EF.DG1 to
// EF.DG16 and EF.SOD in the LDS1 application, EF.CVCA beside them, and
// EF.CardAccess, EF.CardSecurity, EF.ATR/INFO and EF.DIR in the master
// file. The zero File is no file.
//
// A File knows how ICAO Doc 9303-10 addresses it: its tag (the first byte of
// its contents, which EF.COM lists), its file identifier (FID) for SELECT, its
// short file identifier (SFI) for READ BINARY, and whether it lies in the
// master file (MF) or in the LDS1 application. Two pairs of files share an
// FID and SFI ('011C' and '011D') and tell apart only by that last property.
type File uint8

// The files of ICAO Doc 9303-10 (LDS 1.7 and 1.8), in the order Files lists them.
const (
	EFCOM          File = iota + 1 // EF.COM, common data: LDS version and the list of data groups present
	EFDG1                          // EF.DG1, the MRZ
	EFDG2                          // EF.DG2, encoded face
	EFDG3                          // EF.DG3, encoded fingerprints
	EFDG4                          // EF.DG4, encoded irises
	EFDG5                          // EF.DG5, displayed portrait
	EFDG6                          // EF.DG6, reserved for future use
	EFDG7                          // EF.DG7, displayed signature or usual mark
	EFDG8                          // EF.DG8, data features
	EFDG9                          // EF.DG9, structure features
	EFDG10                         // EF.DG10, substance features
	EFDG11                         // EF.DG11, additional personal details
	EFDG12                         // EF.DG12, additional document details
	EFDG13                         // EF.DG13, optional details (national; the CCCD profile is in chip/cccd)
	EFDG14                         // EF.DG14, security options (SecurityInfos for Chip Authentication, PACE)
	EFDG15                         // EF.DG15, Active Authentication public key
	EFDG16                         // EF.DG16, persons to notify
	EFSOD                          // EF.SOD, the Document Security Object
	EFCVCA                         // EF.CVCA, trust points for Terminal Authentication (EAC)
	EFCardAccess                   // EF.CardAccess in the MF, SecurityInfos for PACE
	EFCardSecurity                 // EF.CardSecurity in the MF, signed SecurityInfos
	EFATRInfo                      // EF.ATR/INFO in the MF, card capabilities
	EFDIR                          // EF.DIR in the MF, the applications on the chip
	lastFile
)

// LDS1AID is the application identifier of the LDS1 eMRTD application,
// selected before any of its files (Doc 9303-10 §3.10).
var LDS1AID = []byte{0xA0, 0x00, 0x00, 0x02, 0x47, 0x10, 0x01}

type fileInfo struct {
	name    string
	tag     tlv.Tag
	fid     uint16
	sfi     byte
	inMF    bool
	maxSize int
}

const (
	// SmallFileLimit bounds the size of files that hold text, keys and
	// signatures: 64 KiB.
	SmallFileLimit = 64 << 10
	// LargeFileLimit bounds the size of files that may hold images or
	// biometric records (DG2 to DG13): 1 MiB.
	LargeFileLimit = 1 << 20
)

var files = [lastFile]fileInfo{
	EFCOM:          {"EF.COM", 0x60, 0x011E, 0x1E, false, SmallFileLimit},
	EFDG1:          {"DG1", 0x61, 0x0101, 0x01, false, SmallFileLimit},
	EFDG2:          {"DG2", 0x75, 0x0102, 0x02, false, LargeFileLimit},
	EFDG3:          {"DG3", 0x63, 0x0103, 0x03, false, LargeFileLimit},
	EFDG4:          {"DG4", 0x76, 0x0104, 0x04, false, LargeFileLimit},
	EFDG5:          {"DG5", 0x65, 0x0105, 0x05, false, LargeFileLimit},
	EFDG6:          {"DG6", 0x66, 0x0106, 0x06, false, LargeFileLimit},
	EFDG7:          {"DG7", 0x67, 0x0107, 0x07, false, LargeFileLimit},
	EFDG8:          {"DG8", 0x68, 0x0108, 0x08, false, LargeFileLimit},
	EFDG9:          {"DG9", 0x69, 0x0109, 0x09, false, LargeFileLimit},
	EFDG10:         {"DG10", 0x6A, 0x010A, 0x0A, false, LargeFileLimit},
	EFDG11:         {"DG11", 0x6B, 0x010B, 0x0B, false, LargeFileLimit},
	EFDG12:         {"DG12", 0x6C, 0x010C, 0x0C, false, LargeFileLimit},
	EFDG13:         {"DG13", 0x6D, 0x010D, 0x0D, false, LargeFileLimit},
	EFDG14:         {"DG14", 0x6E, 0x010E, 0x0E, false, SmallFileLimit},
	EFDG15:         {"DG15", 0x6F, 0x010F, 0x0F, false, SmallFileLimit},
	EFDG16:         {"DG16", 0x70, 0x0110, 0x10, false, SmallFileLimit},
	EFSOD:          {"EF.SOD", 0x77, 0x011D, 0x1D, false, SmallFileLimit},
	EFCVCA:         {"EF.CVCA", 0, 0x011C, 0x1C, false, SmallFileLimit},
	EFCardAccess:   {"EF.CardAccess", 0, 0x011C, 0x1C, true, SmallFileLimit},
	EFCardSecurity: {"EF.CardSecurity", 0, 0x011D, 0x1D, true, SmallFileLimit},
	EFATRInfo:      {"EF.ATR/INFO", 0, 0x2F01, 0x01, true, SmallFileLimit},
	EFDIR:          {"EF.DIR", 0, 0x2F00, 0x1E, true, SmallFileLimit},
}

func (f File) info() fileInfo {
	if f == 0 || f >= lastFile {
		return fileInfo{}
	}
	return files[f]
}

// Valid reports whether f is one of the files above.
func (f File) Valid() bool { return f > 0 && f < lastFile }

// String is the name Doc 9303 uses: "EF.COM", "DG1" ... "DG16", "EF.SOD",
// "EF.CardAccess" and so on.
func (f File) String() string {
	if !f.Valid() {
		return "File(" + strconv.Itoa(int(f)) + ")"
	}
	return files[f].name
}

// Tag is the tag that starts the file's contents, 0 for the files that have
// none (EF.CVCA, EF.CardAccess, EF.CardSecurity, EF.ATR/INFO, EF.DIR).
func (f File) Tag() tlv.Tag { return f.info().tag }

// FID is the file identifier used to SELECT the file.
func (f File) FID() uint16 { return f.info().fid }

// SFI is the short file identifier used to READ BINARY without SELECT.
func (f File) SFI() byte { return f.info().sfi }

// InMF reports whether the file lies in the master file rather than in the
// LDS1 application.
func (f File) InMF() bool { return f.info().inMF }

// MaxSize is the largest content this package accepts for the file:
// LargeFileLimit for DG2 to DG13, which may carry images and biometric
// records, SmallFileLimit for every other file.
func (f File) MaxSize() int {
	if !f.Valid() {
		return SmallFileLimit
	}
	return files[f].maxSize
}

// DataGroup returns the data group number (1 to 16) of f, or 0 when f is
// not a data group.
func (f File) DataGroup() int {
	if f >= EFDG1 && f <= EFDG16 {
		return int(f-EFDG1) + 1
	}
	return 0
}

// DataGroup returns the file of data group n (1 to 16), or 0 when there is
// no such data group.
func DataGroup(n int) File {
	if n < 1 || n > 16 {
		return 0
	}
	return EFDG1 + File(n-1)
}

// Files returns every file this package knows, in a fixed order: EF.COM,
// DG1 to DG16, EF.SOD, EF.CVCA, then the master file's files.
func Files() []File {
	out := make([]File, 0, lastFile-1)
	for f := EFCOM; f < lastFile; f++ {
		out = append(out, f)
	}
	return out
}

// FileByTag returns the file whose contents start with tag t (EF.COM, a
// data group or EF.SOD).
func FileByTag(t tlv.Tag) (File, bool) {
	if t == 0 {
		return 0, false
	}
	for f := EFCOM; f < lastFile; f++ {
		if files[f].tag == t {
			return f, true
		}
	}
	return 0, false
}

// FileByFID returns the file with identifier fid, in the master file when
// inMF is true, in the LDS1 application otherwise.
func FileByFID(fid uint16, inMF bool) (File, bool) {
	for f := EFCOM; f < lastFile; f++ {
		if files[f].fid == fid && files[f].inMF == inMF {
			return f, true
		}
	}
	return 0, false
}

// FileBySFI returns the file with short identifier sfi, in the master file
// when inMF is true, in the LDS1 application otherwise.
func FileBySFI(sfi byte, inMF bool) (File, bool) {
	for f := EFCOM; f < lastFile; f++ {
		if files[f].sfi == sfi && files[f].inMF == inMF {
			return f, true
		}
	}
	return 0, false
}

// FileByName returns the file with the given name, ignoring case and an
// optional "EF." prefix: "DG2", "EF.DG2", "dg2", "COM", "EF.SOD", "SOD",
// "CardAccess", "ATR/INFO".
func FileByName(name string) (File, bool) {
	n := strings.TrimPrefix(strings.ToUpper(name), "EF.")
	for f := EFCOM; f < lastFile; f++ {
		if strings.TrimPrefix(strings.ToUpper(files[f].name), "EF.") == n {
			return f, true
		}
	}
	return 0, false
}
