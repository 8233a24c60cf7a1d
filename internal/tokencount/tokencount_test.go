package tokencount

import "testing"

func TestCount(t *testing.T) {
	var c Counter
	cases := []struct {
		in   string
		want int
	}{
		{"", 0},
		{"hello world", 2},
		{`{"type":"object"}`, 5},
	}
	for _, tc := range cases {
		got, err := c.Count(tc.in)
		if err != nil {
			t.Fatal(err)
		}
		if got != tc.want {
			t.Errorf("Count(%q) = %d, want %d", tc.in, got, tc.want)
		}
	}
}
