package pace

import (
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
)

// Format prints String for every verb, so that %d, %x or %+v never show
// the session keys.
func (r Result) Format(f fmt.State, _ rune) { _, _ = io.WriteString(f, r.String()) }

// MarshalJSON writes String as a JSON string: the session keys never reach
// JSON.
func (r Result) MarshalJSON() ([]byte, error) { return json.Marshal(r.String()) }

// LogValue is String, for log/slog.
func (r Result) LogValue() slog.Value { return slog.StringValue(r.String()) }

// String names the chip's PACE state, never its passwords or keys.
func (c *Chip) String() string { return "pace.Chip(passwords and keys redacted)" }

// GoString is String, so that %#v does not print them either.
func (c *Chip) GoString() string { return c.String() }

// Format prints String for every verb.
func (c *Chip) Format(f fmt.State, _ rune) { _, _ = io.WriteString(f, c.String()) }

// MarshalJSON writes String as a JSON string.
func (c *Chip) MarshalJSON() ([]byte, error) { return json.Marshal(c.String()) }

// LogValue is String, for log/slog.
func (c *Chip) LogValue() slog.Value { return slog.StringValue(c.String()) }
