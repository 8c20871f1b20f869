package server

import (
	"context"
	"time"
)

// VerifyUpload exposes the upload handler's own verification (what
// POST /v1/verify runs after multipart parsing and redeeming the
// challenge, before writing the JSON) to the package's external tests, so
// that BenchmarkInProcessSameWork measures exactly the handler's work.
func (s *Server) VerifyUpload(ctx context.Context, u *Upload, nonce []byte, now time.Time) *Result {
	return s.verifyUpload(ctx, u, nonce, now)
}
