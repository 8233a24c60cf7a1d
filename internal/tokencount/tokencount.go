// Package tokencount measures how many model tokens a text costs, offline.
// It uses OpenAI's o200k_base BPE (embedded, no download): Anthropic's
// tokenizer is not public, and o200k_base is a documented, reproducible
// stand-in whose counts are close for JSON and English. Budgets in the
// README are stated in these tokens.
package tokencount

import (
	"fmt"
	"sync"

	"github.com/pkoukk/tiktoken-go"
	tiktoken_loader "github.com/pkoukk/tiktoken-go-loader"
)

// Encoding names the tokenizer used, for reports.
const Encoding = "o200k_base"

// Counter counts tokens. The BPE tables take ~100 ms to load, so a Counter
// loads them on first use and is then safe for concurrent use.
type Counter struct {
	once sync.Once
	enc  *tiktoken.Tiktoken
	err  error
}

// Count returns the number of tokens in s.
func (c *Counter) Count(s string) (int, error) {
	c.once.Do(func() {
		tiktoken.SetBpeLoader(tiktoken_loader.NewOfflineLoader())
		c.enc, c.err = tiktoken.GetEncoding(Encoding)
		if c.err != nil {
			c.err = fmt.Errorf("loading the %s tokenizer: %w", Encoding, c.err)
		}
	})
	if c.err != nil {
		return 0, c.err
	}
	return len(c.enc.Encode(s, nil, nil)), nil
}
