package wasm

import (
	"context"
	"os"
	"testing"
)

func BenchmarkTmpWX(b *testing.B) {
	code, _ := os.ReadFile(os.Getenv("WX"))
	h := newHost(b, Config{Modules: []ModuleConfig{{Name: "x", Bytes: code, SHA256: sha(code), PoolSize: 1}}})
	ex, _ := h.Executor("x")
	ctx := context.Background()
	cpu := processCPU(b)
	for b.Loop() {
		if _, err := ex.Execute(ctx, benchRequest); err != nil {
			b.Fatal(err)
		}
	}
	reportCPU(b, cpu)
}
