package jwtdecode

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"
)

// encoding/json matches object members to struct fields case-insensitively
// (with Unicode folding: "SUB", "Sub" and "ſub" all fill the `sub` field), and
// a later member overwrites an earlier one. JWT claim names are
// case-sensitive: Clerk's JS SDK reads `sub`, never `SUB`, and a custom
// claim that differs from a registered one only by case is an unknown claim
// that must be ignored (behaviour.md §3.11), not read as `exp` or `sts`.
//
// UnmarshalExact keeps json.Unmarshal's speed for the normal token (no member
// name folds onto a known one) and otherwise decodes through maps, keeping
// only the members whose names match exactly.

// ExactSchema describes the member names a struct decodes, and the schemas of
// its object-valued members.
type ExactSchema struct {
	names  map[string]bool
	nested map[string]*ExactSchema
	all    []string        // every name at any depth (top-level schema only), for the fast check
	lower  map[string]bool // the same names, as a set
}

// maxExactName bounds the length of the member names of a schema.
const maxExactName = 32

// NewExactSchema describes the struct type t for UnmarshalExact. It panics
// when a member name is not short lower-case ASCII (a programming error).
func NewExactSchema(t reflect.Type) *ExactSchema {
	s := &ExactSchema{names: map[string]bool{}, nested: map[string]*ExactSchema{}}
	seen := map[string]bool{}
	var all []string
	var walk func(s *ExactSchema, t reflect.Type)
	walk = func(s *ExactSchema, t reflect.Type) {
		for i := 0; i < t.NumField(); i++ {
			f := t.Field(i)
			name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			if name == "" || name == "-" {
				continue
			}
			s.names[name] = true
			if !seen[name] {
				seen[name] = true
				all = append(all, name)
			}
			ft := f.Type
			for ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			// Only plain struct members need their own member names checked;
			// types with their own UnmarshalJSON read a single value.
			if ft.Kind() == reflect.Struct && !reflect.PointerTo(ft).Implements(reflect.TypeFor[json.Unmarshaler]()) {
				sub := &ExactSchema{names: map[string]bool{}, nested: map[string]*ExactSchema{}}
				walk(sub, ft)
				s.nested[name] = sub
			}
		}
	}
	walk(s, t)
	s.all = all
	s.lower = map[string]bool{}
	for _, n := range all {
		if len(n) > maxExactName || strings.ToLower(n) != n || strings.IndexFunc(n, func(r rune) bool { return r >= 0x80 }) >= 0 {
			panic("jwtdecode: JSON member name " + n + " must be short lower-case ASCII")
		}
		s.lower[n] = true
	}
	return s
}

// PayloadSchema is the schema of Payload, for UnmarshalExact.
var PayloadSchema = NewExactSchema(reflect.TypeFor[Payload]())

// UnmarshalExact is json.Unmarshal(b, v) with exact, case-sensitive member
// names. b must be a JSON object; v a pointer to the struct s describes.
func UnmarshalExact(b []byte, v any, s *ExactSchema) error {
	if !hasFoldedKey(b, s) {
		return json.Unmarshal(b, v)
	}
	clean, err := filterExact(b, s)
	if err != nil {
		return err
	}
	return json.Unmarshal(clean, v)
}

// filterExact re-encodes the JSON object b with only the members s knows by
// their exact name (unknown members are ignored by the struct anyway).
func filterExact(b []byte, s *ExactSchema) ([]byte, error) {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, err
	}
	if m == nil { // JSON null: nothing to filter
		return b, nil
	}
	for k, raw := range m {
		if !s.names[k] {
			delete(m, k)
			continue
		}
		if sub := s.nested[k]; sub != nil && LooksLikeJSONObject(raw) {
			clean, err := filterExact(raw, sub)
			if err != nil {
				return nil, err
			}
			m[k] = clean
		}
	}
	return json.Marshal(m)
}

// hasFoldedKey reports whether the JSON text b holds, at any depth, a member
// name that encoding/json could match to a name of s without being exactly
// it, or a name with escape sequences (they are decoded before matching). It
// is a cheap, allocation-free scan; a false positive only costs the slow
// path.
func hasFoldedKey(b []byte, s *ExactSchema) bool {
	for i := 0; i < len(b); {
		q := bytes.IndexByte(b[i:], '"')
		if q < 0 {
			return false
		}
		start := i + q + 1
		end := stringEnd(b, start)
		if end < 0 {
			return false // unterminated string: json.Unmarshal reports it
		}
		k := end + 1
		for k < len(b) && (b[k] == ' ' || b[k] == '\t' || b[k] == '\n' || b[k] == '\r') {
			k++
		}
		if k < len(b) && b[k] == ':' {
			key := b[start:end]
			if bytes.IndexByte(key, '\\') >= 0 || foldsOntoName(key, s) {
				return true
			}
		}
		i = end + 1
	}
	return false
}

// stringEnd returns the index of the quote closing the JSON string whose
// contents start at b[start], or -1.
func stringEnd(b []byte, start int) int {
	for j := start; j < len(b); {
		e := bytes.IndexByte(b[j:], '"')
		if e < 0 {
			return -1
		}
		end := j + e
		n := 0 // backslashes right before the quote
		for p := end - 1; p >= start && b[p] == '\\'; p-- {
			n++
		}
		if n%2 == 0 {
			return end
		}
		j = end + 1
	}
	return -1
}

// foldsOntoName reports whether key equals one of names under Unicode case
// folding without being byte-for-byte equal to it. Every name is lower-case
// ASCII (checked by NewExactSchema), so an ASCII key can fold onto one only
// if it holds an upper-case letter: the common key costs one pass over its
// bytes.
func foldsOntoName(key []byte, s *ExactSchema) bool {
	upper := false
	for _, c := range key {
		if c >= 0x80 {
			for _, n := range s.all {
				if bytes.EqualFold(key, []byte(n)) {
					return true // names are ASCII: never an exact match
				}
			}
			return false
		}
		if 'A' <= c && c <= 'Z' {
			upper = true
		}
	}
	if !upper || len(key) > maxExactName {
		return false
	}
	var buf [maxExactName]byte
	for i, c := range key {
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		buf[i] = c
	}
	return s.lower[string(buf[:len(key)])]
}
