package tlv

// Node is an object of a decoded tree. A constructed object's Children are
// its decoded contents; a primitive object (or an Opaque one) has none.
type Node struct {
	TLV
	Children []*Node
}

// Decode decodes b strictly into a tree of every object it holds.
func Decode(b []byte) ([]*Node, error) { return Strict.Decode(b) }

// Decode decodes b into a tree under these options. The whole tree costs two
// allocations: the input is walked once to count the objects (allocating
// nothing, and stopping at the node budget MaxNodes), then the nodes are
// laid out in one array.
func (o Options) Decode(b []byte) ([]*Node, error) {
	maxDepth := o.MaxDepth
	if maxDepth <= 0 {
		maxDepth = DefaultMaxDepth
	}
	budget := o.MaxNodes
	if budget <= 0 {
		budget = DefaultMaxNodes
	}
	nodes, ptrs, err := o.count(o.NewReader(b), 1, maxDepth, &budget)
	if err != nil {
		return nil, err
	}
	d := decoder{opts: o, nodes: make([]Node, nodes), ptrs: make([]*Node, ptrs)}
	return d.fill(o.NewReader(b)), nil
}

func (o *Options) opaque(t Tag) bool {
	for _, x := range o.Opaque {
		if x == t {
			return true
		}
	}
	return false
}

// count walks r and its descendants, returning the number of nodes and the
// number of child pointers (including the top-level list). Each node takes
// one from budget; it fails when none is left.
func (o *Options) count(r Reader, depth, maxDepth int, budget *int) (nodes, ptrs int, err error) {
	if depth > maxDepth {
		return 0, 0, &Error{Offset: r.base, Err: ErrTooDeep}
	}
	for r.Next() {
		t := r.TLV()
		if *budget <= 0 {
			return 0, 0, &Error{Offset: t.Offset, Tag: t.Tag, Err: ErrTooManyNodes}
		}
		*budget--
		nodes++
		ptrs++
		if t.Tag.Constructed() && !o.opaque(t.Tag) {
			n, p, err := o.count(r.Children(), depth+1, maxDepth, budget)
			if err != nil {
				return 0, 0, err
			}
			nodes += n
			ptrs += p
		}
	}
	return nodes, ptrs, r.Err()
}

type decoder struct {
	opts  Options
	nodes []Node
	ptrs  []*Node
}

// fill decodes an input already validated by count. Siblings are laid out
// contiguously: a level is read first, then each constructed sibling's
// contents.
func (d *decoder) fill(r Reader) []*Node {
	n := 0
	for r.Next() {
		d.nodes[n].TLV = r.TLV()
		n++
	}
	level := d.nodes[:n:n]
	d.nodes = d.nodes[n:]
	ptrs := d.ptrs[:n:n]
	d.ptrs = d.ptrs[n:]
	for i := range level {
		node := &level[i]
		ptrs[i] = node
		if node.Tag.Constructed() && !d.opts.opaque(node.Tag) {
			node.Children = d.fill(Reader{data: node.Value, base: node.ValueOffset(), opts: d.opts})
		}
	}
	return ptrs
}

// Child returns the first child with the given tag, or nil.
func (n *Node) Child(t Tag) *Node {
	if n == nil {
		return nil
	}
	for _, c := range n.Children {
		if c.Tag == t {
			return c
		}
	}
	return nil
}

// Find follows path below n (n's own tag is not part of the path) and
// returns the first match, or nil.
func (n *Node) Find(path ...Tag) *Node {
	for _, t := range path {
		n = n.Child(t)
	}
	return n
}

// FindNode follows path from a list of top-level nodes, as returned by
// Decode, and returns the first match, or nil. The path's first tag is
// matched against the top level.
func FindNode(nodes []*Node, path ...Tag) *Node {
	if len(path) == 0 {
		return nil
	}
	for _, n := range nodes {
		if n.Tag == path[0] {
			return n.Find(path[1:]...)
		}
	}
	return nil
}

// All returns every child of n with the given tag.
func (n *Node) All(t Tag) []*Node {
	var out []*Node
	if n == nil {
		return nil
	}
	for _, c := range n.Children {
		if c.Tag == t {
			out = append(out, c)
		}
	}
	return out
}
