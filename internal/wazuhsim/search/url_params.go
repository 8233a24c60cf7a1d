package search

import (
	"encoding/json"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// applyURLParams applies the _search URL parameters that override the body
// (q, df, default_operator, size, from, sort, _source*, track_total_hits,
// track_scores), then re-validates.
func applyURLParams(req *Request, q url.Values, now time.Time) error {
	if text := q.Get("q"); text != "" {
		opts := qsOptions{fields: []fieldSpec{{name: "*", boost: 1, wildcard: true}}}
		if df := q.Get("df"); df != "" {
			opts.fields = []fieldSpec{fieldSpecOf(df)}
		}
		opts.defaultAND = strings.EqualFold(q.Get("default_operator"), "and")
		query, err := parseQueryString(&queryParser{now: now}, text, opts)
		if err != nil {
			return err
		}
		req.Query = query
	}
	for _, p := range []struct {
		name string
		dst  *int
	}{{"size", &req.Size}, {"from", &req.From}} {
		if v := q.Get(p.name); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil {
				return illegalArgument("Failed to parse int parameter [%s] with value [%s]", p.name, v)
			}
			*p.dst = n
		}
	}
	if v := q.Get("sort"); v != "" {
		req.Sort, req.explicitSort = nil, true
		for _, item := range strings.Split(v, ",") {
			field, order, _ := strings.Cut(item, ":")
			req.Sort = append(req.Sort, newSortKey(field, order))
		}
	}
	if err := applySourceParams(req, q); err != nil {
		return err
	}
	if v := q.Get("track_total_hits"); v != "" {
		var raw any = json.Number(v)
		if v == "true" || v == "false" {
			raw = v == "true"
		}
		n, err := parseTrackTotalHits(raw)
		if err != nil {
			return err
		}
		req.TrackTotalHits = n
	}
	if q.Get("track_scores") == "true" {
		req.TrackScores = true
	}
	return req.validate()
}

func applySourceParams(req *Request, q url.Values) error {
	if v := q.Get("_source"); v != "" {
		switch v {
		case "true":
			req.Source = sourceFilter{}
		case "false":
			req.Source = sourceFilter{disabled: true}
		default:
			req.Source = sourceFilter{includes: strings.Split(v, ",")}
		}
	}
	if v := q.Get("_source_includes"); v != "" {
		req.Source.disabled, req.Source.includes = false, strings.Split(v, ",")
	}
	if v := q.Get("_source_excludes"); v != "" {
		req.Source.disabled, req.Source.excludes = false, strings.Split(v, ",")
	}
	return nil
}
