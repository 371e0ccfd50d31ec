package studio

import (
	"strconv"

	"github.com/valyala/fasthttp"

	"github.com/frontdeskhq/frontdesk/core/analytics"
	"github.com/frontdeskhq/frontdesk/core/httpserver"
	"github.com/frontdeskhq/frontdesk/core/store"
)

func (a *api) analytics(c *call) {
	q := c.ctx.QueryArgs()
	f := store.RunFilter{Experiment: string(q.Peek("experiment"))}
	if raw := string(q.Peek("version")); raw != "" {
		n, err := strconv.Atoi(raw)
		if err != nil || n <= 0 {
			badRequest(c.ctx, "version must be a positive number")
			return
		}
		f.Version = n
	}
	if raw := string(q.Peek("shadow")); raw != "" {
		b, err := strconv.ParseBool(raw)
		if err != nil {
			badRequest(c.ctx, "shadow must be true or false")
			return
		}
		f.Shadow = &b
	}
	var ok bool
	if f.Since, f.Until, ok = timeRange(c); !ok {
		return
	}
	format := string(q.Peek("format"))
	if format != "" && format != "json" && format != "csv" {
		badRequest(c.ctx, "format must be json or csv")
		return
	}
	rep, err := analytics.Build(c.ctx, a.cfg.Store, c.param("policy"), f)
	if err != nil {
		writeErr(c.ctx, err)
		return
	}
	if format == "csv" {
		c.ctx.SetContentType("text/csv; charset=utf-8")
		c.ctx.Response.Header.Set("Content-Disposition", `attachment; filename="`+c.param("policy")+`-analytics.csv"`)
		if err := rep.WriteCSV(c.ctx); err != nil {
			writeErr(c.ctx, err)
		}
		return
	}
	httpserver.WriteJSON(c.ctx, fasthttp.StatusOK, rep)
}
