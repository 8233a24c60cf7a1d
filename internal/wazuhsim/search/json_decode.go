package search

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// maxJSONDepth bounds nesting of request bodies: the query DSL is recursive
// and an attacker-sized nest would otherwise cost stack and time.
const maxJSONDepth = 64

// object is a decoded JSON object that keeps key order. Order matters for
// the sort object form ({"a":"asc","b":"desc"}) and for error messages.
type object []member

type member struct {
	Key string
	Val any
}

func (o object) get(key string) (any, bool) {
	for _, m := range o {
		if m.Key == key {
			return m.Val, true
		}
	}
	return nil, false
}

// decodeJSON decodes data into object, []any, string, json.Number, bool or
// nil, rejecting duplicate keys, trailing data and nesting beyond maxDepth.
func decodeJSON(data []byte, maxDepth int) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	v, err := decodeValue(dec, 0, maxDepth)
	if err != nil {
		return nil, err
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return nil, errors.New("unexpected data after the JSON document")
	}
	return v, nil
}

func decodeValue(dec *json.Decoder, depth, maxDepth int) (any, error) {
	tok, err := dec.Token()
	if err != nil {
		if errors.Is(err, io.EOF) {
			return nil, errors.New("unexpected end of input")
		}
		return nil, err
	}
	d, ok := tok.(json.Delim)
	if !ok {
		return tok, nil
	}
	if depth >= maxDepth {
		return nil, fmt.Errorf("JSON nesting deeper than %d levels", maxDepth)
	}
	switch d {
	case '{':
		return decodeObject(dec, depth, maxDepth)
	case '[':
		return decodeArray(dec, depth, maxDepth)
	}
	return nil, fmt.Errorf("unexpected %q", string(d))
}

func decodeObject(dec *json.Decoder, depth, maxDepth int) (any, error) {
	var obj object
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return nil, err
		}
		key, ok := tok.(string)
		if !ok {
			return nil, fmt.Errorf("expected an object key, got %v", tok)
		}
		if _, dup := obj.get(key); dup && len(obj) < 4096 {
			return nil, fmt.Errorf("duplicate field '%s'", key)
		}
		val, err := decodeValue(dec, depth+1, maxDepth)
		if err != nil {
			return nil, err
		}
		obj = append(obj, member{key, val})
	}
	if _, err := dec.Token(); err != nil { // the closing '}'
		return nil, err
	}
	if obj == nil {
		obj = object{}
	}
	return obj, nil
}

func decodeArray(dec *json.Decoder, depth, maxDepth int) (any, error) {
	arr := []any{}
	for dec.More() {
		val, err := decodeValue(dec, depth+1, maxDepth)
		if err != nil {
			return nil, err
		}
		arr = append(arr, val)
	}
	if _, err := dec.Token(); err != nil { // the closing ']'
		return nil, err
	}
	return arr, nil
}

// tokenName names a decoded value's JSON kind as OpenSearch's parser does in
// its messages (START_OBJECT, VALUE_STRING, ...).
func tokenName(v any) string {
	switch v.(type) {
	case object:
		return "START_OBJECT"
	case []any:
		return "START_ARRAY"
	case string:
		return "VALUE_STRING"
	case json.Number:
		return "VALUE_NUMBER"
	case bool:
		return "VALUE_BOOLEAN"
	case nil:
		return "VALUE_NULL"
	}
	return "VALUE_EMBEDDED_OBJECT"
}

// asObject returns v as an object or a parsing error naming where.
func asObject(v any, where string) (object, error) {
	o, ok := v.(object)
	if !ok {
		return nil, parsingError("[%s] expected START_OBJECT but found [%s]", where, tokenName(v))
	}
	return o, nil
}

// numberOf converts a JSON number or numeric string to float64.
func numberOf(v any) (float64, bool) {
	switch x := v.(type) {
	case json.Number:
		f, err := strconv.ParseFloat(string(x), 64)
		return f, err == nil
	case string:
		f, err := strconv.ParseFloat(strings.TrimSpace(x), 64)
		return f, err == nil
	case float64:
		return x, true
	}
	return 0, false
}

// intOf converts a JSON integer (or integral numeric string) to int.
func intOf(v any, name string) (int, error) {
	f, ok := numberOf(v)
	if !ok || f != float64(int64(f)) || f > 1<<31 || f < -(1<<31) {
		return 0, parsingError("[%s] expected an integer but found [%v]", name, v)
	}
	return int(f), nil
}

func boolOf(v any, name string) (bool, error) {
	switch x := v.(type) {
	case bool:
		return x, nil
	case string:
		switch x {
		case "true":
			return true, nil
		case "false":
			return false, nil
		}
	}
	return false, parsingError("[%s] expected a boolean but found [%v]", name, v)
}

// stringOf converts a scalar JSON value to its text form.
func stringOf(v any) (string, bool) {
	switch x := v.(type) {
	case string:
		return x, true
	case json.Number:
		return string(x), true
	case bool:
		return strconv.FormatBool(x), true
	}
	return "", false
}

func floatOf(v any, name string) (float64, error) {
	f, ok := numberOf(v)
	if !ok {
		return 0, parsingError("[%s] expected a number but found [%v]", name, v)
	}
	return f, nil
}
