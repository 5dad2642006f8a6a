package amocrm

import (
	"cmp"
	"maps"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/onemin/onemin"
)

// item is one entity of a webhook delivery: the fields of
// ENTITY[ACTION][INDEX][...], with nested keys joined by "." ("author.type").
type item struct {
	entity, action string
	index          int
	fields         map[string]string
}

// key returns the form key of one of the item's fields, for errors.
func (it *item) key(field string) string {
	k := it.entity + "[" + it.action + "][" + strconv.Itoa(it.index) + "]"
	for _, part := range strings.Split(field, ".") {
		k += "[" + part + "]"
	}
	return k
}

// maxItems bounds the items of one delivery.
const maxItems = 10000

// splitKey splits "a[b][c]" into ["a", "b", "c"], and reports false when
// the brackets are not balanced.
func splitKey(k string) ([]string, bool) {
	i := strings.IndexByte(k, '[')
	if i < 0 {
		return []string{k}, true
	}
	parts := []string{k[:i]}
	rest := k[i:]
	for rest != "" {
		if rest[0] != '[' {
			return nil, false
		}
		j := strings.IndexByte(rest, ']')
		if j < 0 {
			return nil, false
		}
		parts = append(parts, rest[1:j])
		rest = rest[j+1:]
	}
	return parts, true
}

// items collects the items of the given entities from a form, in entity,
// action and index order. Keys of other entities are ignored. Keys are read
// in sorted order, so the error for a bad delivery is always the same.
func items(form url.Values, entities ...string) ([]item, error) {
	byKey := map[string]*item{}
	for _, k := range slices.Sorted(maps.Keys(form)) {
		vs := form[k]
		parts, ok := splitKey(k)
		if !ok {
			if slices.ContainsFunc(entities, func(e string) bool { return strings.HasPrefix(k, e+"[") }) {
				return nil, &RequestError{Status: 400, Field: k, Reason: "unbalanced brackets in form key", Err: onemin.ErrInvalid}
			}
			continue
		}
		if !slices.Contains(entities, parts[0]) {
			continue
		}
		if len(parts) < 4 {
			return nil, &RequestError{Status: 400, Field: k, Reason: "form key is not ENTITY[ACTION][INDEX][FIELD]", Err: onemin.ErrInvalid}
		}
		idx, err := strconv.Atoi(parts[2])
		if err != nil || idx < 0 || idx >= maxItems {
			return nil, &RequestError{Status: 400, Field: k, Reason: "index " + strconv.Quote(parts[2]) + " is not a number below 10000", Err: onemin.ErrInvalid}
		}
		id := parts[0] + "\x00" + parts[1] + "\x00" + parts[2]
		it := byKey[id]
		if it == nil {
			if len(byKey) >= maxItems {
				return nil, &RequestError{Status: 400, Field: k, Reason: "more than 10000 items", Err: onemin.ErrInvalid}
			}
			it = &item{entity: parts[0], action: parts[1], index: idx, fields: map[string]string{}}
			byKey[id] = it
		}
		if len(vs) > 0 {
			it.fields[strings.Join(parts[3:], ".")] = vs[0]
		}
	}
	out := make([]item, 0, len(byKey))
	for _, it := range byKey {
		out = append(out, *it)
	}
	slices.SortFunc(out, func(a, b item) int {
		return cmp.Or(cmp.Compare(a.entity, b.entity), cmp.Compare(a.action, b.action), cmp.Compare(a.index, b.index))
	})
	return out, nil
}
