package search

import (
	"net/http"
	"strings"
	"unicode"
	"unicode/utf8"
)

// This file implements the useful subset of Lucene's query syntax used by
// query_string (and the q= URL parameter) and of simple_query_string:
// terms, "phrases", field:value, field:(a OR b), AND OR NOT && || !, + and -,
// parentheses, * and ? wildcards, ranges [a TO b] {a TO *] and >=x, and
// _exists_:field. Fuzziness (~N) and boosts (^N) are accepted and ignored.

type qsTokKind int

const (
	qsEOF qsTokKind = iota
	qsWord
	qsPhrase
	qsRange
	qsLParen
	qsRParen
	qsColon
	qsAnd
	qsOr
	qsNot
	qsPlus
)

type qsTok struct {
	kind     qsTokKind
	text     string
	wildcard bool // the word has an unescaped * or ?
}

// qsMaxDepth bounds parenthesis nesting (a 1 MiB "(((((" must not recurse).
const qsMaxDepth = 64

type qsOptions struct {
	simple     bool // simple_query_string syntax
	defaultAND bool
	fields     []fieldSpec
}

type qsParser struct {
	opts  qsOptions
	qp    *queryParser
	toks  []qsTok
	pos   int
	depth int
}

func (p *queryParser) queryString(v any) (Query, error) {
	return p.stringQuery(v, "query_string", false)
}

func (p *queryParser) simpleQueryString(v any) (Query, error) {
	return p.stringQuery(v, "simple_query_string", true)
}

var stringQueryKeys = []string{"query", "default_field", "fields", "default_operator", "analyze_wildcard",
	"allow_leading_wildcard", "lenient", "boost", "time_zone", "minimum_should_match", "fuzziness",
	"phrase_slop", "quote_field_suffix", "type", "tie_breaker", "analyzer", "quote_analyzer", "escape",
	"max_determinized_states", "auto_generate_synonyms_phrase_query", "enable_position_increments",
	"fuzzy_max_expansions", "fuzzy_prefix_length", "fuzzy_transpositions", "fuzzy_rewrite", "rewrite",
	"flags", "all_fields", "_name"}

func (p *queryParser) stringQuery(v any, qname string, simple bool) (Query, error) {
	o, err := asObject(v, qname)
	if err != nil {
		return nil, err
	}
	if err := checkKeys(o, qname, stringQueryKeys...); err != nil {
		return nil, err
	}
	qv, ok := o.get("query")
	text, isStr := stringOf(qv)
	if !ok || !isStr {
		return nil, parsingError("[%s] must be provided with a [query]", qname)
	}
	opts := qsOptions{simple: simple, fields: []fieldSpec{{name: "*", boost: 1, wildcard: true}}}
	if dv, ok := o.get("default_field"); ok {
		if s, ok := dv.(string); ok {
			opts.fields = []fieldSpec{fieldSpecOf(s)}
		}
	}
	if fv, ok := o.get("fields"); ok {
		if opts.fields, err = parseFieldSpecs(fv, qname); err != nil {
			return nil, err
		}
	}
	if ov, ok := o.get("default_operator"); ok {
		s, _ := stringOf(ov)
		switch strings.ToLower(s) {
		case "and":
			opts.defaultAND = true
		case "or":
		default:
			return nil, parsingError("[%s] default operator [%s] is not allowed", qname, s)
		}
	}
	q, err := parseQueryString(p, text, opts)
	if err != nil {
		return nil, err
	}
	boost, err := optBoost(o, qname)
	if err != nil {
		return nil, err
	}
	if boost != 1 {
		q = &boolQuery{must: []Query{q}, boost: boost}
	}
	return q, nil
}

// parseQueryString compiles Lucene-style text into a Query.
func parseQueryString(qp *queryParser, text string, opts qsOptions) (Query, error) {
	toks, err := lexQueryString(text, opts.simple)
	if err != nil {
		return nil, qsError(text, err.Error())
	}
	sp := &qsParser{opts: opts, qp: qp, toks: toks}
	if len(toks) == 0 {
		return matchNoneQuery{}, nil
	}
	q, err := sp.parseOr()
	if err != nil {
		if opts.simple {
			return sp.lenientFallback(), nil
		}
		return nil, qsError(text, err.Error())
	}
	if sp.peek().kind != qsEOF {
		if opts.simple {
			return sp.lenientFallback(), nil
		}
		return nil, qsError(text, "unexpected "+sp.describe(sp.peek()))
	}
	return q, nil
}

func qsError(text, why string) *Error {
	cause := newError(http.StatusBadRequest, "parse_exception", "Cannot parse '%s': %s", text, why)
	return &Error{Status: http.StatusBadRequest, Type: "query_shard_exception",
		Reason: "Failed to parse query [" + text + "]", Cause: cause}
}

// lenientFallback is simple_query_string's promise never to fail: every word
// and phrase becomes an optional clause.
func (sp *qsParser) lenientFallback() Query {
	b := &boolQuery{boost: 1, minShould: 1}
	for _, t := range sp.toks {
		if t.kind == qsWord || t.kind == qsPhrase {
			b.should = append(b.should, sp.valueQuery(sp.opts.fields, t))
		}
	}
	if len(b.should) == 0 {
		return matchNoneQuery{}
	}
	return b
}

func (sp *qsParser) peek() qsTok {
	if sp.pos < len(sp.toks) {
		return sp.toks[sp.pos]
	}
	return qsTok{kind: qsEOF}
}

func (sp *qsParser) next() qsTok {
	t := sp.peek()
	if sp.pos < len(sp.toks) {
		sp.pos++
	}
	return t
}

func (sp *qsParser) describe(t qsTok) string {
	switch t.kind {
	case qsEOF:
		return "end of query"
	case qsRParen:
		return "')'"
	case qsColon:
		return "':'"
	}
	return "'" + t.text + "'"
}

func (sp *qsParser) parseOr() (Query, error) {
	first, err := sp.parseAnd()
	if err != nil {
		return nil, err
	}
	if sp.peek().kind != qsOr {
		return first, nil
	}
	b := &boolQuery{should: []Query{first}, minShould: 1, boost: 1}
	for sp.peek().kind == qsOr {
		sp.next()
		q, err := sp.parseAnd()
		if err != nil {
			return nil, err
		}
		b.should = append(b.should, q)
	}
	return b, nil
}

func (sp *qsParser) parseAnd() (Query, error) {
	first, err := sp.parseSeq()
	if err != nil {
		return nil, err
	}
	if sp.peek().kind != qsAnd {
		return first, nil
	}
	b := &boolQuery{must: []Query{first}, boost: 1}
	for sp.peek().kind == qsAnd {
		sp.next()
		q, err := sp.parseSeq()
		if err != nil {
			return nil, err
		}
		b.must = append(b.must, q)
	}
	return b, nil
}

type qsClause struct {
	q     Query
	occur byte // 0: default operator, '+': must, '-': must_not
}

// parseSeq parses clauses joined by whitespace, combined with the default
// operator; + and - force must and must_not.
func (sp *qsParser) parseSeq() (Query, error) {
	var clauses []qsClause
	for {
		k := sp.peek().kind
		if k == qsEOF || k == qsOr || k == qsAnd || k == qsRParen {
			break
		}
		c, err := sp.parseUnary()
		if err != nil {
			return nil, err
		}
		clauses = append(clauses, c)
	}
	if len(clauses) == 0 {
		return nil, errUnexpected(sp.describe(sp.peek()))
	}
	if len(clauses) == 1 && clauses[0].occur != '-' {
		return clauses[0].q, nil
	}
	b := &boolQuery{boost: 1}
	for _, c := range clauses {
		switch {
		case c.occur == '-':
			b.mustNot = append(b.mustNot, c.q)
		case c.occur == '+' || sp.opts.defaultAND:
			b.must = append(b.must, c.q)
		default:
			b.should = append(b.should, c.q)
		}
	}
	switch {
	case len(b.must) == 0 && len(b.should) == 0:
		b.must = []Query{matchAllQuery{boost: 1}} // a pure negation matches everything else
	case len(b.must) == 0:
		b.minShould = 1
	}
	return b, nil
}

type qsSyntaxError string

func (e qsSyntaxError) Error() string { return string(e) }

func errUnexpected(what string) error { return qsSyntaxError("unexpected " + what) }

func (sp *qsParser) parseUnary() (qsClause, error) {
	switch sp.peek().kind {
	case qsNot:
		sp.next()
		c, err := sp.parseUnary()
		return qsClause{q: c.q, occur: '-'}, err
	case qsPlus:
		sp.next()
		c, err := sp.parseUnary()
		if c.occur == '-' {
			return c, err
		}
		return qsClause{q: c.q, occur: '+'}, err
	}
	q, err := sp.parsePrimary(sp.opts.fields)
	return qsClause{q: q}, err
}

func (sp *qsParser) parsePrimary(fields []fieldSpec) (Query, error) {
	t := sp.next()
	switch t.kind {
	case qsLParen:
		return sp.parseGroup(fields)
	case qsWord:
		if !sp.opts.simple && sp.peek().kind == qsColon {
			sp.next()
			return sp.parseFieldValue(t.text)
		}
		return sp.valueQuery(fields, t), nil
	case qsPhrase:
		return sp.valueQuery(fields, t), nil
	case qsRange:
		return sp.rangeQuery(fields, t.text)
	}
	return nil, errUnexpected(sp.describe(t))
}

func (sp *qsParser) parseGroup(fields []fieldSpec) (Query, error) {
	sp.depth++
	defer func() { sp.depth-- }()
	if sp.depth > qsMaxDepth {
		return nil, qsSyntaxError("too many nested parentheses")
	}
	saved := sp.opts.fields
	sp.opts.fields = fields
	q, err := sp.parseOr()
	sp.opts.fields = saved
	if err != nil {
		return nil, err
	}
	if sp.peek().kind != qsRParen {
		if sp.opts.simple && sp.peek().kind == qsEOF {
			return q, nil
		}
		return nil, qsSyntaxError("missing ')'")
	}
	sp.next()
	return q, nil
}

// parseFieldValue parses what follows "field:".
func (sp *qsParser) parseFieldValue(field string) (Query, error) {
	fields := []fieldSpec{{name: field, boost: 1, wildcard: hasWildcard(field)}}
	t := sp.peek()
	switch {
	case field == "_exists_" && t.kind == qsWord:
		sp.next()
		return existsQuery{field: t.text, boost: 1}, nil
	case t.kind == qsLParen:
		sp.next()
		return sp.parseGroup(fields)
	case t.kind == qsWord && len(t.text) > 1 && (t.text[0] == '>' || t.text[0] == '<'):
		sp.next()
		return sp.comparison(fields, t.text)
	case t.kind == qsWord || t.kind == qsPhrase:
		sp.next()
		return sp.valueQuery(fields, t), nil
	case t.kind == qsRange:
		sp.next()
		return sp.rangeQuery(fields, t.text)
	}
	return nil, errUnexpected(sp.describe(t) + " after '" + field + ":'")
}

// valueQuery builds the query for a bare word or phrase over fields.
func (sp *qsParser) valueQuery(fields []fieldSpec, t qsTok) Query {
	var l leaf
	switch {
	case t.kind == qsPhrase:
		l, _ = newPhraseLeaf(t.text, false, sp.qp.now)
	case t.text == "*":
		l = anyValueLeaf{}
	case t.wildcard:
		l, _ = newPatternLeaf(t.text, false, func(s string) (func(string) bool, error) { return globMatcher(s), nil })
	default:
		raw, _ := newScalar(t.text, sp.qp.now)
		ml := matchLeaf{tokens: dedupe(analyze(t.text)), raw: raw, required: 1}
		if sp.opts.defaultAND {
			ml.required = len(ml.tokens)
		}
		l = ml
	}
	return &fieldQuery{fields: fields, leaf: l, boost: 1}
}

// rangeQuery parses the inside of "[a TO b}" (brackets included).
func (sp *qsParser) rangeQuery(fields []fieldSpec, text string) (Query, error) {
	open, closing := text[0], text[len(text)-1]
	inner := strings.TrimSpace(text[1 : len(text)-1])
	lo, hi, ok := strings.Cut(inner, " TO ")
	if !ok {
		return nil, qsSyntaxError("range " + text + " needs 'TO'")
	}
	var l rangeLeaf
	var err error
	if lo = unquote(strings.TrimSpace(lo)); lo != "*" {
		if l.lo, err = sp.qp.bound("range", lo, open == '[', open != '[', ""); err != nil {
			return nil, err
		}
	}
	if hi = unquote(strings.TrimSpace(hi)); hi != "*" {
		if l.hi, err = sp.qp.bound("range", hi, closing == ']', closing == ']', ""); err != nil {
			return nil, err
		}
	}
	return &fieldQuery{fields: fields, leaf: l, boost: 1}, nil
}

// comparison parses ">=10", ">now-1h", "<5".
func (sp *qsParser) comparison(fields []fieldSpec, text string) (Query, error) {
	op, val := text[:1], text[1:]
	if strings.HasPrefix(val, "=") {
		op, val = text[:2], text[2:]
	}
	if val == "" {
		return nil, qsSyntaxError("missing value after " + op)
	}
	val = unquote(val)
	var l rangeLeaf
	var err error
	switch op {
	case ">":
		l.lo, err = sp.qp.bound("range", val, false, true, "")
	case ">=":
		l.lo, err = sp.qp.bound("range", val, true, false, "")
	case "<":
		l.hi, err = sp.qp.bound("range", val, false, false, "")
	case "<=":
		l.hi, err = sp.qp.bound("range", val, true, true, "")
	}
	if err != nil {
		return nil, err
	}
	return &fieldQuery{fields: fields, leaf: l, boost: 1}, nil
}

func unquote(s string) string {
	if len(s) >= 2 && s[0] == '"' && s[len(s)-1] == '"' {
		return s[1 : len(s)-1]
	}
	return s
}

// lexQueryString splits text into tokens for either syntax.
func lexQueryString(text string, simple bool) ([]qsTok, error) {
	var toks []qsTok
	atStart := true // a prefix operator may appear here
	for i := 0; i < len(text); {
		r, n := utf8.DecodeRuneInString(text[i:])
		if unicode.IsSpace(r) {
			i += n
			atStart = true
			continue
		}
		tok, width, err := lexOne(text[i:], simple, atStart)
		if err != nil {
			return nil, err
		}
		i += width
		atStart = tok.kind != qsWord && tok.kind != qsPhrase && tok.kind != qsRange
		if tok.kind == qsEOF { // ignored input such as ~2 or ^3
			continue
		}
		toks = append(toks, tok)
	}
	return toks, nil
}

func lexOne(s string, simple, atStart bool) (qsTok, int, error) {
	c := s[0]
	switch {
	case c == '(':
		return qsTok{kind: qsLParen, text: "("}, 1, nil
	case c == ')':
		return qsTok{kind: qsRParen, text: ")"}, 1, nil
	case c == '"':
		return lexPhrase(s)
	case c == '~' || c == '^':
		return qsTok{kind: qsEOF}, 1 + skipNumber(s[1:]), nil
	}
	if simple {
		switch {
		case c == '|':
			return qsTok{kind: qsOr, text: "|"}, 1, nil
		case c == '+':
			return qsTok{kind: qsAnd, text: "+"}, 1, nil
		case c == '-' && atStart:
			return qsTok{kind: qsNot, text: "-"}, 1, nil
		}
		return lexWord(s, "()\"|+~")
	}
	switch {
	case c == ':':
		return qsTok{kind: qsColon, text: ":"}, 1, nil
	case c == '[' || c == '{':
		return lexRange(s)
	case strings.HasPrefix(s, "&&"):
		return qsTok{kind: qsAnd, text: "&&"}, 2, nil
	case strings.HasPrefix(s, "||"):
		return qsTok{kind: qsOr, text: "||"}, 2, nil
	case c == '!' && atStart:
		return qsTok{kind: qsNot, text: "!"}, 1, nil
	case c == '-' && atStart:
		return qsTok{kind: qsNot, text: "-"}, 1, nil
	case c == '+' && atStart:
		return qsTok{kind: qsPlus, text: "+"}, 1, nil
	}
	tok, n, err := lexWord(s, "()\":^~[]{}")
	if err == nil && tok.kind == qsWord && !tok.wildcard {
		switch tok.text {
		case "AND":
			tok.kind = qsAnd
		case "OR":
			tok.kind = qsOr
		case "NOT":
			tok.kind = qsNot
		}
	}
	return tok, n, err
}

func skipNumber(s string) int {
	i := 0
	for i < len(s) && (s[i] >= '0' && s[i] <= '9' || s[i] == '.') {
		i++
	}
	return i
}

func lexPhrase(s string) (qsTok, int, error) {
	var b strings.Builder
	for i := 1; i < len(s); i++ {
		switch s[i] {
		case '\\':
			if i+1 < len(s) {
				i++
				b.WriteByte(s[i])
			}
		case '"':
			return qsTok{kind: qsPhrase, text: b.String()}, i + 1, nil
		default:
			b.WriteByte(s[i])
		}
	}
	return qsTok{}, 0, qsSyntaxError("unterminated phrase")
}

func lexRange(s string) (qsTok, int, error) {
	for i := 1; i < len(s); i++ {
		if s[i] == ']' || s[i] == '}' {
			return qsTok{kind: qsRange, text: s[:i+1]}, i + 1, nil
		}
	}
	return qsTok{}, 0, qsSyntaxError("unterminated range")
}

// lexWord reads up to whitespace or a special character, resolving
// backslash escapes; an escaped * or ? is literal.
func lexWord(s, specials string) (qsTok, int, error) {
	var b strings.Builder
	tok := qsTok{kind: qsWord}
	i := 0
	for i < len(s) {
		r, n := utf8.DecodeRuneInString(s[i:])
		if unicode.IsSpace(r) || (r < utf8.RuneSelf && strings.IndexByte(specials, byte(r)) >= 0) {
			break
		}
		if r == '\\' {
			if i+1 >= len(s) {
				return qsTok{}, 0, qsSyntaxError("trailing escape character")
			}
			er, en := utf8.DecodeRuneInString(s[i+1:])
			b.WriteRune(er)
			i += 1 + en
			continue
		}
		if r == '*' || r == '?' {
			tok.wildcard = true
		}
		b.WriteRune(r)
		i += n
	}
	if i == 0 {
		return qsTok{}, 0, qsSyntaxError("unexpected '" + s[:1] + "'")
	}
	tok.text = b.String()
	return tok, i, nil
}
