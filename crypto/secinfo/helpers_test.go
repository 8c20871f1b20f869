package secinfo

// vectorFiles lists every testdata vector with whether it holds a DG14 and
// whether it is in strict DER order.
var vectorFiles = []struct {
	name   string
	dg14   bool
	sorted bool
}{
	{"cccd/efcardaccess.hex", false, true},
	{"gmrtd/cardaccess_at.hex", false, true},
	{"gmrtd/cardaccess_de.hex", false, true},
	{"gmrtd/securityinfos_pk_std13.hex", false, true},
	{"gmrtd/securityinfos_efdir_badoid.hex", false, true},
	{"gmrtd/dg14_at.hex", true, true},
	{"gmrtd/dg14_my.hex", true, false},
	{"gmrtd/dg14_bp384.hex", true, false},
	{"synthetic/dg14_ca_aa.hex", true, true},
}
