package studio

import (
	"encoding/json"
	"strconv"
	"time"

	"github.com/valyala/fasthttp"

	"github.com/frontdeskhq/frontdesk/core/httpserver"
	"github.com/frontdeskhq/frontdesk/core/store"
)

// auditJSON is one audit entry; details are the JSON the entry was written with.
type auditJSON struct {
	ID      int64           `json:"id"`
	At      time.Time       `json:"at"`
	Actor   string          `json:"actor"`
	Action  string          `json:"action"`
	Subject string          `json:"subject"`
	Details json.RawMessage `json:"details"`
}

// maxAuditPage bounds one page of the audit log.
const maxAuditPage = 500

func (a *api) listAudit(c *call) {
	q := c.ctx.QueryArgs()
	f := store.AuditFilter{Actor: string(q.Peek("actor")), Action: string(q.Peek("action")), Subject: string(q.Peek("subject"))}
	var ok bool
	if f.Since, f.Until, ok = timeRange(c); !ok {
		return
	}
	for _, p := range []struct {
		name string
		dst  *int64
		max  int64
	}{{"before_id", &f.BeforeID, 1 << 62}, {"limit", nil, maxAuditPage}} {
		raw := string(q.Peek(p.name))
		if raw == "" {
			continue
		}
		n, err := strconv.ParseInt(raw, 10, 64)
		if err != nil || n < 1 || n > p.max {
			badRequest(c.ctx, p.name+" must be a number from 1 to "+strconv.FormatInt(p.max, 10))
			return
		}
		if p.dst != nil {
			*p.dst = n
		} else {
			f.Limit = int(n)
		}
	}
	entries, err := a.cfg.Store.ListAudit(c.ctx, f)
	if err != nil {
		writeErr(c.ctx, err)
		return
	}
	out := make([]auditJSON, 0, len(entries))
	for _, e := range entries {
		details := json.RawMessage(e.Details)
		if !json.Valid(details) {
			details, _ = json.Marshal(e.Details)
		}
		out = append(out, auditJSON{ID: e.ID, At: e.At, Actor: e.Actor, Action: e.Action, Subject: e.Subject, Details: details})
	}
	resp := map[string]any{"entries": out}
	if len(out) > 0 {
		resp["next_before_id"] = out[len(out)-1].ID
	}
	httpserver.WriteJSON(c.ctx, fasthttp.StatusOK, resp)
}

// timeRange reads the since and until query parameters; on a malformed one it answers 400
// and returns false.
func timeRange(c *call) (since, until time.Time, ok bool) {
	q := c.ctx.QueryArgs()
	var err error
	if since, err = timeParam(q, "since"); err == nil {
		until, err = timeParam(q, "until")
	}
	if err != nil {
		badRequest(c.ctx, err.Error())
		return since, until, false
	}
	return since, until, true
}

func timeParam(q *fasthttp.Args, name string) (time.Time, error) {
	raw := string(q.Peek(name))
	if raw == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.RFC3339, raw)
	if err != nil {
		return time.Time{}, &paramError{name: name, want: "an RFC 3339 time such as 2026-11-21T18:00:00Z"}
	}
	return t, nil
}

type paramError struct{ name, want string }

func (e *paramError) Error() string { return e.name + " must be " + e.want }
