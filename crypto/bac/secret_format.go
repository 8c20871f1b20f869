package bac

import (
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
)

// String never shows the key, the nonces or the session.
func (c *Chip) String() string { return "bac.Chip(keys redacted)" }

// GoString is String, so that %#v does not print them either.
func (c *Chip) GoString() string { return c.String() }

// Format prints String for every verb.
func (c *Chip) Format(f fmt.State, _ rune) { _, _ = io.WriteString(f, c.String()) }

// MarshalJSON writes String as a JSON string.
func (c *Chip) MarshalJSON() ([]byte, error) { return json.Marshal(c.String()) }

// LogValue is String, for log/slog.
func (c *Chip) LogValue() slog.Value { return slog.StringValue(c.String()) }
