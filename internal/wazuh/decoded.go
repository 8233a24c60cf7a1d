package wazuh

import (
	"fmt"
	"reflect"
	"slices"
	"sync"
)

// decodedPages memoizes the typed decode of one answer body. A cached answer
// is read by every call until it expires, and decoding it again for each one
// was up to a quarter of the server's CPU under load.
//
// The memo is shared, so List hands out copies of the parts a caller may
// change in place (the Items and Failed slices). What the items point to
// (nested slices and maps) is shared: callers treat decoded items as
// read-only, and VerifyDecodedCache, run after every tool test, fails if
// one did not.
type decodedPages struct {
	m sync.Map // reflect.Type of Page[T] → decodedPage
}

type decodedPage struct {
	page  any                 // Page[T], as decoded; never handed out itself
	fresh func() (any, error) // decodes the body again, to verify page
	label string              // method and endpoint, for the error
}

// decodeShared returns the page of resp decoded as T, decoding it once per
// response and type. Errors are not memoized: an error answer is not cached.
func decodeShared[T any](method, endpoint string, resp *response) (Page[T], error) {
	key := reflect.TypeFor[Page[T]]()
	if v, ok := resp.decoded.m.Load(key); ok {
		return v.(decodedPage).page.(Page[T]).clone(), nil
	}
	p, err := decodePage[T](method, endpoint, resp.body)
	if err != nil {
		return Page[T]{}, err
	}
	fresh := func() (any, error) { return decodePage[T](method, endpoint, resp.body) }
	v, _ := resp.decoded.m.LoadOrStore(key, decodedPage{page: p, fresh: fresh, label: method + " " + endpoint})
	return v.(decodedPage).page.(Page[T]).clone(), nil
}

// clone copies the slices a caller may sort, append to or assign into.
func (p Page[T]) clone() Page[T] {
	p.Items = slices.Clip(slices.Clone(p.Items))
	p.Failed = slices.Clip(slices.Clone(p.Failed))
	return p
}

// verify reports whether every memoized page still equals a fresh decode of
// its body, naming the endpoint of the first that does not.
func (d *decodedPages) verify() error {
	var err error
	d.m.Range(func(key, v any) bool {
		e := v.(decodedPage)
		want, ferr := e.fresh()
		if ferr != nil || !reflect.DeepEqual(e.page, want) {
			err = fmt.Errorf("wazuh: the shared decode of %s as %v was changed by a caller (decoded items are read-only)", e.label, key)
			return false
		}
		return true
	})
	return err
}
