package secinfo_test

import (
	"encoding/hex"
	"fmt"

	"github.com/cancuoc/cancuoc/crypto/secinfo"
)

// Read the EF.CardAccess of a Vietnamese CCCD and choose the PACE protocol.
func Example() {
	// EF.CardAccess as the card returns it (reconstructed from its
	// published contents; see testdata/cccd/README).
	efCardAccess := []byte{
		0x31, 0x34,
		0x30, 0x0D, 0x06, 0x08, 0x04, 0x00, 0x7F, 0x00, 0x07, 0x02, 0x02, 0x02, // id-TA
		0x02, 0x01, 0x01, // version 1
		0x30, 0x0F, 0x06, 0x0A, 0x04, 0x00, 0x7F, 0x00, 0x07, 0x02, 0x02, 0x03, 0x02, 0x02, // id-CA-ECDH-AES-CBC-CMAC-128
		0x02, 0x01, 0x01, // version 1
		0x30, 0x12, 0x06, 0x0A, 0x04, 0x00, 0x7F, 0x00, 0x07, 0x02, 0x02, 0x04, 0x02, 0x02, // id-PACE-ECDH-GM-AES-CBC-CMAC-128
		0x02, 0x01, 0x02, // version 2
		0x02, 0x01, 0x0D, // parameterId 13
	}
	infos, err := secinfo.Parse(efCardAccess)
	if err != nil {
		panic(err)
	}
	for _, info := range infos.Infos {
		switch i := info.(type) {
		case *secinfo.PACEInfo:
			fmt.Printf("PACE %v (%v, %v mapping, %v-%d) version %d, parameters %d\n",
				i.Protocol, i.PACE.KeyAgreement, i.PACE.Mapping, i.PACE.Cipher, 8*i.PACE.KeyLength, i.Version, i.ParameterID)
		case *secinfo.ChipAuthenticationInfo:
			fmt.Printf("Chip Authentication %v version %d\n", i.CA, i.Version)
		case *secinfo.TerminalAuthenticationInfo:
			fmt.Printf("Terminal Authentication version %d\n", i.Version)
		default:
			fmt.Println("other:", secinfo.OIDName(info.ProtocolOID()))
		}
	}
	best := infos.BestPACE()
	curve, _ := best.Standardized()
	fmt.Printf("run %v on %s\n", best.PACE, curve.Name)
	// Output:
	// Terminal Authentication version 1
	// Chip Authentication id-CA-ECDH-AES-CBC-CMAC-128 version 1
	// PACE 0.4.0.127.0.7.2.2.4.2.2 (ECDH, GM mapping, AES-128) version 2, parameters 13
	// run id-PACE-ECDH-GM-AES-CBC-CMAC-128 on brainpoolP256r1
}

// Describe a protocol identifier.
func ExampleParsePACEProtocol() {
	p, err := secinfo.ParsePACEProtocol(secinfo.OIDPACEECDHCAMAES256)
	if err != nil {
		panic(err)
	}
	fmt.Println(p.KeyAgreement, p.Mapping, p.Cipher, p.KeyLength)
	fmt.Println(p.MappingOID(), secinfo.OIDName(p.MappingOID()))
	// Output:
	// ECDH CAM AES 32
	// 0.4.0.127.0.7.2.2.4.6 id-PACE-ECDH-CAM
}

// Pair Chip Authentication protocols with their keys. This SecurityInfos
// (from a German document, published in gmrtd's tests) holds only a public
// key, so CA version 1 with 3DES is inferred.
func ExampleSecurityInfos_ChipAuthentication() {
	b, _ := hex.DecodeString("31643062060904007F0007020201023052300C060704007F0007010202010D" +
		"034200041872709494399E7470A6431BE25E83EEE24FEA568C2ED28DB48E05DB3A610DC8" +
		"84D256A40E35EFCB59BF6753D3A489D28C7A4D973C2DA138A6E7A4A08F68E16F02010D")
	infos, err := secinfo.Parse(b)
	if err != nil {
		panic(err)
	}
	for _, ca := range infos.ChipAuthentication() {
		id, _ := ca.PublicKey.PublicKey.Algorithm.StandardizedDomainParameterID()
		fmt.Printf("%v version %d keyId %d inferred %v, key on parameters %d\n",
			ca.CA, ca.Version, ca.KeyID, ca.Info == nil, id)
	}
	// Output:
	// id-CA-ECDH-3DES-CBC-CBC version 1 keyId 13 inferred true, key on parameters 13
}
