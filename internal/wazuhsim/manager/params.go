package manager

import (
	"fmt"
	"net/url"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

// paramType is the OpenAPI type of a parameter.
type paramType uint8

const (
	tString paramType = iota
	tInt
	tBool
	tArray
)

// paramSpec is one declared parameter of an operation (see spec_params.go).
type paramSpec struct {
	Name     string
	In       string // "query" or "path"
	Required bool
	Type     paramType
	Format   string
	Enum     []string
	Min, Max *int
	MinLen   int
	Item     *paramSpec // element schema of arrays
}

func ptr(n int) *int { return &n }

// formats holds the regular expressions of the real API's custom string
// formats (api/api/validator.py). Formats not listed are accepted as the
// real validator does for formats it has no checker for.
type formats map[string]*regexp.Regexp

func newFormats() formats {
	paths := `[\w\-.\\/:]+`
	return formats{
		"alphanumeric":            regexp.MustCompile(`^[\w,\-.+\s:]+$`),
		"alphanumeric_symbols":    regexp.MustCompile(`^[\w,*<>!\-.+\s:/()\[\]'"|=~#]+$`),
		"names":                   regexp.MustCompile(`^[A-Za-z0-9_\-.%]+$`),
		"numbers":                 regexp.MustCompile(`^\d+$`),
		"paths":                   regexp.MustCompile(`^` + paths + `$`),
		"search":                  regexp.MustCompile(`^[^;|&^*>]+$`),
		"sort":                    regexp.MustCompile(`^[\w_\-,\s+.]+$`),
		"timeframe":               regexp.MustCompile(`^(\d+[dhms]?)$`),
		"date":                    regexp.MustCompile(`^([0-9]{4})-(1[0-2]|0[1-9])-(3[01]|0[1-9]|[12][0-9])$`),
		"hash":                    regexp.MustCompile(`^(?:[\da-fA-F]{32}|[\da-fA-F]{40}|[\da-fA-F]{56}|[\da-fA-F]{64}|[\da-fA-F]{96}|[\da-fA-F]{128})?$`),
		"range":                   regexp.MustCompile(`^(?:[\d]+|[\d]{1,2}-[\d]{1,2})$`),
		"get_dirnames_path":       regexp.MustCompile(`^(((etc|ruleset)/(decoders|rules)[\w\-/]*)|(etc/lists[\w\-/]*))$`),
		"xml_filename":            regexp.MustCompile(`^[\w\-]+\.xml(,[\w\-]+\.xml)*$`),
		"xml_filename_path":       regexp.MustCompile(`^[\w\-]+\.xml$`),
		"cdb_filename_path":       regexp.MustCompile(`^[\-\w]+$`),
		"active_response_command": regexp.MustCompile(`^!?` + paths + `$`),
		"group_names":             regexp.MustCompile(`^[A-Za-z0-9.\-_]+$`),
	}
}

// valid reports whether v satisfies format f.
func (fs formats) valid(f, v string) bool {
	if f == "group_names" && (v == "." || v == ".." || v == "all") {
		return false // the real regex has a negative lookahead for these
	}
	re, ok := fs[f]
	return !ok || re.MatchString(v)
}

// params are the validated parameters of one request.
type params struct {
	user  string // authenticated user (empty on public routes)
	specs []paramSpec
	query url.Values
	path  map[string]string
}

func (p params) has(name string) bool { return p.query.Has(name) }

// str returns the raw value of a query parameter.
func (p params) str(name string) string { return p.query.Get(name) }

// list returns an array parameter; both "a=1,2" (what Wazuh clients send)
// and "a=1&a=2" are accepted.
func (p params) list(name string) []string {
	var out []string
	for _, v := range p.query[name] {
		for _, part := range strings.Split(v, ",") {
			if part != "" {
				out = append(out, part)
			}
		}
	}
	return out
}

func (p params) boolean(name string) bool {
	b, _ := strconv.ParseBool(p.query.Get(name))
	return b
}

func (p params) integer(name string, def int) int {
	if !p.query.Has(name) {
		return def
	}
	n, _ := strconv.Atoi(p.query.Get(name))
	return n
}

// validateParams checks a request's parameters against the operation's
// declaration the way connexion does with strict validation: unknown query
// parameters, wrong types, enums, formats and bounds all give 400 "Bad
// Request" with a jsonschema-style detail.
func (s *Server) validateParams(specs []paramSpec, q url.Values, path map[string]string) *apiError {
	known := map[string]paramSpec{}
	for _, ps := range specs {
		known[ps.In+":"+ps.Name] = ps
	}
	var extra []string
	for name := range q {
		if _, ok := known["query:"+name]; !ok {
			extra = append(extra, name)
		}
	}
	if len(extra) > 0 {
		sort.Strings(extra)
		return badRequest(fmt.Sprintf("Extra query parameter(s) %s not in spec", strings.Join(extra, ", ")))
	}
	for _, ps := range specs {
		var vals []string
		switch ps.In {
		case "path":
			vals = []string{path[ps.Name]}
		case "query":
			vals = q[ps.Name]
		default:
			continue
		}
		if len(vals) == 0 {
			if ps.Required {
				return badRequest(fmt.Sprintf("Missing %s parameter '%s'", ps.In, ps.Name))
			}
			continue
		}
		if err := s.checkValue(ps, vals); err != nil {
			return err
		}
	}
	return nil
}

func (s *Server) checkValue(ps paramSpec, vals []string) *apiError {
	if ps.Type == tArray {
		var items []string
		for _, v := range vals {
			items = append(items, strings.Split(v, ",")...)
		}
		for _, it := range items {
			if err := s.checkScalar(*ps.Item, ps.Name, ps.In, it); err != nil {
				return err
			}
		}
		return nil
	}
	return s.checkScalar(ps, ps.Name, ps.In, vals[len(vals)-1])
}

func (s *Server) checkScalar(ps paramSpec, name, in, v string) *apiError {
	switch ps.Type {
	case tBool:
		if _, err := strconv.ParseBool(v); err != nil {
			return badRequest(fmt.Sprintf("Wrong type, expected 'boolean' for %s parameter '%s'", in, name))
		}
	case tInt:
		n, err := strconv.Atoi(v)
		if err != nil {
			return badRequest(fmt.Sprintf("Wrong type, expected 'integer' for %s parameter '%s'", in, name))
		}
		if ps.Min != nil && n < *ps.Min {
			return badRequest(fmt.Sprintf("%d is less than the minimum of %d", n, *ps.Min))
		}
		if ps.Max != nil && n > *ps.Max {
			return badRequest(fmt.Sprintf("%d is greater than the maximum of %d", n, *ps.Max))
		}
	default:
		if len(ps.Enum) > 0 && !contains(ps.Enum, v) {
			return badRequest(fmt.Sprintf("'%s' is not one of %s", v, pyList(ps.Enum)))
		}
		if len(v) < ps.MinLen {
			return badRequest(fmt.Sprintf("'%s' is too short", v))
		}
		if ps.Format != "" && !s.formats.valid(ps.Format, v) {
			return badRequest(fmt.Sprintf("'%s' is not a '%s'", v, ps.Format))
		}
	}
	return nil
}

func contains(list []string, v string) bool {
	for _, e := range list {
		if e == v {
			return true
		}
	}
	return false
}

// pyList renders a list the way Python prints it in jsonschema messages.
func pyList(list []string) string {
	q := make([]string, len(list))
	for i, e := range list {
		q[i] = "'" + e + "'"
	}
	return "[" + strings.Join(q, ", ") + "]"
}
