package conform

import (
	"fmt"
	"strings"
)

// RuleDSCountry: the Document Signer certificate names the state that
// issued the document. Its countryName is that state's ISO 3166-1 alpha-2
// code (Doc 9303-12 §7.1.1), and DG1's issuing state is the same state's
// three-letter code (Doc 9303-3 §5, Doc 9303-10 DG1). A document whose DS
// is another state's was signed by a signer the issuing state does not
// answer for: a verifier that picks CSCAs by the document's country would
// check it against the wrong CSCA, or a foreign CSCA vouches for it.
var RuleDSCountry = Rule{
	ID:       "ds.country-issuing-state",
	Source:   "ICAO Doc 9303-12 §7.1.1; Doc 9303-3 §5",
	Text:     "the Document Signer certificate's country is the issuing state of DG1",
	Security: true,
}

// CheckDSCountry compares the countryName of the Document Signer
// certificate's subject (dsCountry, alpha-2; its issuer's when the
// subject has none) with DG1's issuing state (alpha-3, or the one-letter
// "D" of Germany, Doc 9303-3). It returns nil when they name the same
// state, and a Finding of RuleDSCountry on object "Document Signer
// certificate" otherwise, or when either code is missing or unknown (an
// ICAO code for an organization, such as UNO, or the specimen state UTO,
// has no alpha-2 code: no state answers for it).
func CheckDSCountry(dsCountry, issuingState string) *Finding {
	ds := strings.ToUpper(strings.TrimSpace(dsCountry))
	st := strings.ToUpper(strings.Trim(issuingState, "< "))
	f := func(detail string) *Finding {
		return &Finding{Rule: RuleDSCountry, Object: "Document Signer certificate", Offset: -1, Detail: detail}
	}
	if ds == "" {
		return f("the Document Signer certificate names no country")
	}
	if st == "" {
		return f("DG1 names no issuing state")
	}
	a2, ok := Alpha2(st)
	if !ok {
		return f(fmt.Sprintf("DG1's issuing state %q is not a state with an ISO 3166-1 code; the Document Signer is of %q", st, ds))
	}
	if a2 != ds {
		return f(fmt.Sprintf("Document Signer of %q, DG1 issued by %q (%s)", ds, st, a2))
	}
	return nil
}

// Alpha2 returns the ISO 3166-1 alpha-2 code of a three-letter code of
// Doc 9303-3 (an ISO 3166-1 alpha-3 code, or one of the codes Doc 9303-3
// adds for a state: "D" for Germany, GBD, GBN, GBO, GBP and GBS for the
// United Kingdom's other nationalities, RKS for Kosovo).
func Alpha2(code string) (string, bool) {
	code = strings.ToUpper(strings.Trim(code, "<"))
	switch code {
	case "D":
		return "DE", true
	case "GBD", "GBN", "GBO", "GBP", "GBS":
		return "GB", true
	case "RKS":
		return "XK", true
	}
	if len(code) != 3 {
		return "", false
	}
	for i := 0; i+6 <= len(iso3166); i += 6 {
		if iso3166[i:i+3] == code {
			return iso3166[i+3 : i+5], true
		}
	}
	return "", false
}

// iso3166 lists the 249 ISO 3166-1 countries as alpha-3 followed by
// alpha-2 and a space, six characters each.
const iso3166 = "" +
	"AFGAF ALAAX ALBAL DZADZ ASMAS ANDAD AGOAO AIAAI ATAAQ ATGAG ARGAR ARMAM ABWAW AUSAU AUTAT AZEAZ " +
	"BHSBS BHRBH BGDBD BRBBB BLRBY BELBE BLZBZ BENBJ BMUBM BTNBT BOLBO BESBQ BIHBA BWABW BVTBV BRABR " +
	"IOTIO BRNBN BGRBG BFABF BDIBI CPVCV KHMKH CMRCM CANCA CYMKY CAFCF TCDTD CHLCL CHNCN CXRCX CCKCC " +
	"COLCO COMKM COGCG CODCD COKCK CRICR CIVCI HRVHR CUBCU CUWCW CYPCY CZECZ DNKDK DJIDJ DMADM DOMDO " +
	"ECUEC EGYEG SLVSV GNQGQ ERIER ESTEE SWZSZ ETHET FLKFK FROFO FJIFJ FINFI FRAFR GUFGF PYFPF ATFTF " +
	"GABGA GMBGM GEOGE DEUDE GHAGH GIBGI GRCGR GRLGL GRDGD GLPGP GUMGU GTMGT GGYGG GINGN GNBGW GUYGY " +
	"HTIHT HMDHM VATVA HNDHN HKGHK HUNHU ISLIS INDIN IDNID IRNIR IRQIQ IRLIE IMNIM ISRIL ITAIT JAMJM " +
	"JPNJP JEYJE JORJO KAZKZ KENKE KIRKI PRKKP KORKR KWTKW KGZKG LAOLA LVALV LBNLB LSOLS LBRLR LBYLY " +
	"LIELI LTULT LUXLU MACMO MDGMG MWIMW MYSMY MDVMV MLIML MLTMT MHLMH MTQMQ MRTMR MUSMU MYTYT MEXMX " +
	"FSMFM MDAMD MCOMC MNGMN MNEME MSRMS MARMA MOZMZ MMRMM NAMNA NRUNR NPLNP NLDNL NCLNC NZLNZ NICNI " +
	"NERNE NGANG NIUNU NFKNF MKDMK MNPMP NORNO OMNOM PAKPK PLWPW PSEPS PANPA PNGPG PRYPY PERPE PHLPH " +
	"PCNPN POLPL PRTPT PRIPR QATQA REURE ROURO RUSRU RWARW BLMBL SHNSH KNAKN LCALC MAFMF SPMPM VCTVC " +
	"WSMWS SMRSM STPST SAUSA SENSN SRBRS SYCSC SLESL SGPSG SXMSX SVKSK SVNSI SLBSB SOMSO ZAFZA SGSGS " +
	"SSDSS ESPES LKALK SDNSD SURSR SJMSJ SWESE CHECH SYRSY TWNTW TJKTJ TZATZ THATH TLSTL TGOTG TKLTK " +
	"TONTO TTOTT TUNTN TURTR TKMTM TCATC TUVTV UGAUG UKRUA AREAE GBRGB USAUS UMIUM URYUY UZBUZ VUTVU " +
	"VENVE VNMVN VGBVG VIRVI WLFWF ESHEH YEMYE ZMBZM ZWEZW "
