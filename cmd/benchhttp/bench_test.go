package main

import (
	"context"
	"testing"

	"github.com/valyala/fasthttp"
)

// serveOnce runs one request through the in-app server's handler, without a network.
func serveOnce(b *testing.B, h fasthttp.RequestHandler, ctx *fasthttp.RequestCtx, method, uri string, body []byte, status int) {
	var req fasthttp.Request
	ctx.Init(&req, nil, nil) // a RequestCtx outside a server needs Init to serve as a context
	ctx.Request.Header.SetMethod(method)
	ctx.Request.SetRequestURI(uri)
	ctx.Request.Header.Set("Authorization", "Bearer "+benchToken)
	ctx.Request.SetBody(body)
	h(ctx)
	if ctx.Response.StatusCode() != status {
		b.Fatalf("%s %s: %d %s", method, uri, ctx.Response.StatusCode(), ctx.Response.Body())
	}
}

func newBenchTarget(b *testing.B) *target {
	classifier, how, closeModel := loadClassifier("../../build/model")
	b.Cleanup(func() { closeModel() })
	b.Log("first turns classified by ", how)
	t, err := newTarget(classifier)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(t.close)
	return t
}

// BenchmarkFollowUpTurn answers a flow waiting at the ask of the 5-node policy: the
// conversation is loaded, the run resumed to its end, and the conversation saved.
func BenchmarkFollowUpTurn(b *testing.B) {
	t := newBenchTarget(b)
	ids, err := t.flows(context.Background(), b.N)
	if err != nil {
		b.Fatal(err)
	}
	var ctx fasthttp.RequestCtx
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		serveOnce(b, t.inapp, &ctx, "POST", "/v1/inapp/flows/"+ids[i]+"/input", followUpBody, 200)
	}
}

// BenchmarkFirstTurn starts a flow by text: classification, policy start, conversation save.
func BenchmarkFirstTurn(b *testing.B) {
	t := newBenchTarget(b)
	var ctx fasthttp.RequestCtx
	b.ReportAllocs()
	for b.Loop() {
		serveOnce(b, t.inapp, &ctx, "POST", "/v1/inapp/flows", firstBody, 201)
	}
}
