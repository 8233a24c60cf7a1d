package wql

import "strings"

// maxDepth bounds parenthesis nesting so hostile queries cannot exhaust the
// stack of the recursive-descent parser.
const maxDepth = 64

// Parse parses a q expression. An empty query is an error: callers treat an
// absent q as "no filter" before calling Parse.
func Parse(q string) (Expr, error) {
	p := &parser{src: q}
	if strings.TrimSpace(q) == "" {
		return nil, p.fail(CodeBadFormat, "empty query")
	}
	e, err := p.parseOr(0)
	if err != nil {
		return nil, err
	}
	if p.pos < len(p.src) {
		if p.src[p.pos] == ')' {
			return nil, p.fail(CodeBadFormat, "Invalid parenthesis")
		}
		return nil, p.fail(CodeBadFormat, "unexpected "+quote(p.src[p.pos:p.pos+1]))
	}
	return e, nil
}

type parser struct {
	src string
	pos int
}

func (p *parser) fail(code int, reason string) *Error {
	return &Error{Code: code, Reason: reason, Pos: p.pos}
}

func (p *parser) peek() byte {
	if p.pos < len(p.src) {
		return p.src[p.pos]
	}
	return 0
}

// parseOr: and (',' and)*
func (p *parser) parseOr(depth int) (Expr, error) {
	left, err := p.parseAnd(depth)
	if err != nil {
		return nil, err
	}
	for p.peek() == ',' {
		p.pos++
		right, err := p.parseAnd(depth)
		if err != nil {
			return nil, err
		}
		left = &Or{L: left, R: right}
	}
	return left, nil
}

// parseAnd: term (';' term)*
func (p *parser) parseAnd(depth int) (Expr, error) {
	left, err := p.parseTerm(depth)
	if err != nil {
		return nil, err
	}
	for p.peek() == ';' {
		p.pos++
		right, err := p.parseTerm(depth)
		if err != nil {
			return nil, err
		}
		left = &And{L: left, R: right}
	}
	return left, nil
}

// parseTerm: '(' or ')' | comparison
func (p *parser) parseTerm(depth int) (Expr, error) {
	if p.peek() != '(' {
		return p.parseCmp()
	}
	if depth >= maxDepth {
		return nil, p.fail(CodeBadFormat, "too many nested parentheses")
	}
	p.pos++
	e, err := p.parseOr(depth + 1)
	if err != nil {
		return nil, err
	}
	if p.peek() != ')' {
		return nil, p.fail(CodeBadFormat, "Invalid parenthesis")
	}
	p.pos++
	return e, nil
}

func (p *parser) parseCmp() (Expr, error) {
	field := p.parseField()
	if field == "" {
		if p.pos >= len(p.src) {
			return nil, p.fail(CodeBadFormat, "missing comparison")
		}
		return nil, p.fail(CodeBadFormat, "expected a field name at "+quote(p.src[p.pos:]))
	}
	op, err := p.parseOp()
	if err != nil {
		return nil, err
	}
	value, err := p.parseValue()
	if err != nil {
		return nil, err
	}
	if value == "" {
		return nil, p.fail(CodeBadFormat, "missing value for field "+quote(field))
	}
	return &Cmp{Field: field, Op: op, Value: value}, nil
}

func isFieldByte(c byte) bool {
	return c == '_' || c == '.' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

func (p *parser) parseField() string {
	start := p.pos
	for p.pos < len(p.src) && isFieldByte(p.src[p.pos]) {
		p.pos++
	}
	return p.src[start:p.pos]
}

func isOpByte(c byte) bool { return strings.IndexByte("=!<>~", c) >= 0 }

// parseOp reads one or two operator bytes, as Wazuh's regex does, and then
// rejects combinations it does not know ("==", "<=", ...) with code 1409.
func (p *parser) parseOp() (Op, error) {
	start := p.pos
	for p.pos < len(p.src) && p.pos-start < 2 && isOpByte(p.src[p.pos]) {
		p.pos++
	}
	op := Op(p.src[start:p.pos])
	switch op {
	case OpEq, OpNe, OpLt, OpGt, OpLike:
		return op, nil
	case "":
		return "", p.fail(CodeBadFormat, "expected an operator (=, !=, <, >, ~)")
	}
	p.pos = start
	return "", p.fail(CodeBadOperator, "Invalid query operator "+quote(string(op)))
}

// parseValue reads up to an unescaped separator or a closing parenthesis
// that is not balanced inside the value.
func (p *parser) parseValue() (string, error) {
	var b strings.Builder
	parens := 0
	for p.pos < len(p.src) {
		c := p.src[p.pos]
		switch {
		case c == '\\':
			if p.pos+1 >= len(p.src) {
				return "", p.fail(CodeBadFormat, "dangling escape character")
			}
			b.WriteByte(p.src[p.pos+1])
			p.pos += 2
			continue
		case c == '[':
			if err := p.readBracket(&b); err != nil {
				return "", err
			}
			continue
		case c == '(':
			parens++
		case c == ')':
			if parens == 0 {
				return b.String(), nil
			}
			parens--
		case (c == ',' || c == ';') && parens == 0:
			return b.String(), nil
		}
		b.WriteByte(c)
		p.pos++
	}
	if parens > 0 {
		return "", p.fail(CodeBadFormat, "Invalid parenthesis")
	}
	return b.String(), nil
}

// readBracket copies a "[...]" run verbatim (separators inside are literal).
func (p *parser) readBracket(b *strings.Builder) error {
	start := p.pos
	for p.pos < len(p.src) {
		c := p.src[p.pos]
		if c == '\\' && p.pos+1 < len(p.src) {
			b.WriteByte(p.src[p.pos+1])
			p.pos += 2
			continue
		}
		b.WriteByte(c)
		p.pos++
		if c == ']' {
			return nil
		}
	}
	p.pos = start
	return p.fail(CodeBadFormat, "unclosed bracket")
}

func quote(s string) string { return "'" + s + "'" }
