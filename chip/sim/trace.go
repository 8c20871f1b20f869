package sim

import (
	"context"
	"encoding/hex"
	"log/slog"
	"time"
)

// trace logs one exchange at debug level. Without Config.TraceRaw only the
// header, the lengths and the status word are logged.
func (c *Card) trace(cmd, resp []byte, d time.Duration) {
	l := c.opts.Logger
	if l == nil || !l.Enabled(context.Background(), slog.LevelDebug) {
		return
	}
	attrs := []slog.Attr{
		slog.Int("n", c.stats.APDUs),
		slog.Int("command_len", len(cmd)),
		slog.Int("response_len", len(resp)),
		slog.Duration("took", d),
	}
	if len(cmd) >= 4 {
		attrs = append(attrs, slog.String("header", hex.EncodeToString(cmd[:4])))
	}
	if len(resp) >= 2 {
		attrs = append(attrs, slog.String("sw", hex.EncodeToString(resp[len(resp)-2:])))
	}
	if c.opts.TraceRaw {
		attrs = append(attrs, slog.String("command", hex.EncodeToString(cmd)),
			slog.String("response", hex.EncodeToString(resp)))
	}
	l.LogAttrs(context.Background(), slog.LevelDebug, "sim apdu", attrs...)
}
