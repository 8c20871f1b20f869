package eac

import (
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
)

// Format prints String for every verb, so that %d, %x or %+v never show
// the session keys.
func (r CAResult) Format(f fmt.State, _ rune) { _, _ = io.WriteString(f, r.String()) }

// MarshalJSON writes String as a JSON string: the session keys never reach
// JSON.
func (r CAResult) MarshalJSON() ([]byte, error) { return json.Marshal(r.String()) }

// LogValue is String, for log/slog.
func (r CAResult) LogValue() slog.Value { return slog.StringValue(r.String()) }
