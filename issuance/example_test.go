package issuance_test

import (
	"fmt"
	"strings"

	"github.com/cancuoc/cancuoc/issuance"
)

// Turn a holder record (the JSON of testdata/holder-cccd.json) into the
// typed data groups of a CCCD: DG1, the TD1 MRZ built from the record (the
// name without diacritics, the document number from the personal number),
// and DG13 with the Vietnamese fields.
func ExampleHolder_Document() {
	const record = `{
  "profile": "cccd",
  "personal_number": "001090012345",
  "full_name": "Nguyễn Văn An",
  "date_of_birth": "1990-01-01",
  "sex": "M",
  "date_of_issue": "2021-01-01",
  "date_of_expiry": "2035-01-01",
  "ethnicity": "Kinh",
  "religion": "Không",
  "place_of_origin": "Xã Đông Hội, Huyện Đông Anh, Hà Nội",
  "place_of_residence": "Số 1 Phố Tràng Tiền, Phường Tràng Tiền, Quận Hoàn Kiếm, Hà Nội",
  "father": "Nguyễn Văn Bình",
  "mother": "Trần Thị Cúc"
}`
	h, err := issuance.DecodeHolder(strings.NewReader(record))
	if err != nil {
		panic(err)
	}
	doc, err := h.Document()
	if err != nil {
		panic(err)
	}
	lines, err := doc.DG1.MRZ.Lines()
	if err != nil {
		panic(err)
	}
	for _, l := range lines {
		fmt.Println(l)
	}
	fmt.Println("data groups:", doc.DataGroups())
	// Output:
	// IDVNM0900123450001090012345<<<
	// 9001011M3501014VNM<<<<<<<<<<<5
	// NGUYEN<<VAN<AN<<<<<<<<<<<<<<<<
	// data groups: [DG1 DG13]
}
