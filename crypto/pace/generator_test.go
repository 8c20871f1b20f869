package pace

import "github.com/cancuoc/cancuoc/crypto/ec"

// generator returns the domain's current generator: the mapped one after
// the mapping, the curve's before. Tests compare it with the vectors'
// mapped generator.
func (d *ecDomain) generator() *ec.Point {
	if d.g == nil {
		return d.c.Generator()
	}
	return d.g
}
