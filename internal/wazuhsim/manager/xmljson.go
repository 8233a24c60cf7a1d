package manager

import (
	"encoding/xml"
	"errors"
	"io"
	"strings"
)

// xmlToJSON converts a Wazuh XML file (several root elements, comments) to
// the JSON the real API returns, which follows xmltodict: attributes as
// "@name", text as the value (or "#text" next to attributes or children),
// repeated elements as lists.
func xmlToJSON(content string) (map[string]any, error) {
	dec := xml.NewDecoder(strings.NewReader(content))
	dec.Strict = false
	root := map[string]any{}
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			return root, nil
		}
		if err != nil {
			return nil, err
		}
		if se, ok := tok.(xml.StartElement); ok {
			v, err := readElement(dec, se)
			if err != nil {
				return nil, err
			}
			addChild(root, se.Name.Local, v)
		}
	}
}

func readElement(dec *xml.Decoder, se xml.StartElement) (any, error) {
	node := map[string]any{}
	for _, a := range se.Attr {
		node["@"+a.Name.Local] = a.Value
	}
	var text strings.Builder
	for {
		tok, err := dec.Token()
		if err != nil {
			return nil, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			v, err := readElement(dec, t)
			if err != nil {
				return nil, err
			}
			addChild(node, t.Name.Local, v)
		case xml.CharData:
			text.Write(t)
		case xml.EndElement:
			s := strings.TrimSpace(text.String())
			if len(node) == 0 {
				if s == "" {
					return nil, nil
				}
				return s, nil
			}
			if s != "" {
				node["#text"] = s
			}
			return node, nil
		}
	}
}

// addChild adds a child, turning repeated names into a list.
func addChild(node map[string]any, name string, v any) {
	prev, ok := node[name]
	if !ok {
		node[name] = v
		return
	}
	if list, ok := prev.([]any); ok {
		node[name] = append(list, v)
		return
	}
	node[name] = []any{prev, v}
}
