package wazuh

import (
	"fmt"
	"reflect"
	"slices"
	"sync"
	"sync/atomic"
)

// decodedPages memoizes the typed decode of one cached answer body. A cached
// answer is read by every call until it expires, and decoding it again for
// each one was up to a quarter of the server's CPU under load.
//
// The memo is shared, so List hands out copies of the parts a caller may
// change in place (the Items and Failed slices). What the items point to
// (nested slices and maps) is shared: callers treat decoded items as
// read-only, and VerifyDecodedCache, run after tool tests, fails if one did
// not.
type decodedPages struct {
	m sync.Map // reflect.Type of Page[T] → *decodedPage
}

type decodedPage struct {
	once  sync.Once
	done  atomic.Bool         // set once page and err hold the decode, for verify
	page  any                 // Page[T], as decoded; never handed out itself
	err   error               // the decode's error: the body never changes, so neither does it
	fresh func() (any, error) // decodes the body again, to verify page
	label string              // method and endpoint, for the error
}

// decodeShared returns the page of resp decoded as T. An answer that went
// into the cache is decoded once per type, however many callers arrive at
// once (the first decodes, the others wait for it); any other answer is
// decoded for this call only, so nothing of it is shared.
func decodeShared[T any](method, endpoint string, resp *response) (Page[T], error) {
	if !resp.shared {
		return decodePage[T](method, endpoint, resp.body)
	}
	key := reflect.TypeFor[Page[T]]()
	v, ok := resp.decoded.m.Load(key)
	if !ok {
		v, _ = resp.decoded.m.LoadOrStore(key, &decodedPage{
			fresh: func() (any, error) { return decodePage[T](method, endpoint, resp.body) },
			label: method + " " + endpoint,
		})
	}
	e := v.(*decodedPage)
	e.once.Do(func() {
		e.page, e.err = decodePage[T](method, endpoint, resp.body)
		e.done.Store(true)
	})
	if e.err != nil {
		return Page[T]{}, e.err
	}
	return e.page.(Page[T]).clone(), nil
}

// clone copies the slices a caller may sort, append to or assign into.
func (p Page[T]) clone() Page[T] {
	p.Items = slices.Clip(slices.Clone(p.Items))
	p.Failed = slices.Clip(slices.Clone(p.Failed))
	return p
}

// verify reports whether every memoized page still equals a fresh decode of
// its body, naming the endpoint of the first that does not. A decode still
// under way, or one that failed, has handed out nothing to change.
func (d *decodedPages) verify() error {
	var err error
	d.m.Range(func(key, v any) bool {
		e := v.(*decodedPage)
		if !e.done.Load() || e.err != nil {
			return true
		}
		want, ferr := e.fresh()
		if ferr != nil || !reflect.DeepEqual(e.page, want) {
			err = fmt.Errorf("wazuh: the shared decode of %s as %v was changed by a caller (decoded items are read-only)", e.label, key)
			return false
		}
		return true
	})
	return err
}
