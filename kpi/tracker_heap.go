package kpi

// heapOrder is what a binary min-heap of T needs: whether one element
// comes out before another.
type heapOrder[T any] interface {
	*T
	before(o *T) bool
}

// heapPush adds x to the min-heap h.
func heapPush[T any, P heapOrder[T]](h *[]T, x T) {
	*h = append(*h, x)
	s := *h
	for i := len(s) - 1; i > 0; {
		p := (i - 1) / 2
		if !P(&s[i]).before(&s[p]) {
			break
		}
		s[p], s[i] = s[i], s[p]
		i = p
	}
}

// heapPop removes and returns the first element of the non-empty min-heap
// h.
func heapPop[T any, P heapOrder[T]](h *[]T) T {
	s := *h
	top := s[0]
	n := len(s) - 1
	s[0] = s[n]
	var zero T
	s[n] = zero // let go of what the element holds
	s = s[:n]
	for i := 0; ; {
		l, m := 2*i+1, i
		if l < n && P(&s[l]).before(&s[m]) {
			m = l
		}
		if r := l + 1; r < n && P(&s[r]).before(&s[m]) {
			m = r
		}
		if m == i {
			break
		}
		s[i], s[m] = s[m], s[i]
		i = m
	}
	*h = s
	return top
}
