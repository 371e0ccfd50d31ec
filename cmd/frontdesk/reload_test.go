package main

import (
	"context"
	"io"
	"log/slog"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/frontdeskhq/frontdesk/core/broadcast"
	"github.com/frontdeskhq/frontdesk/core/intent"
	"github.com/frontdeskhq/frontdesk/core/store/testservers"
)

// keywordModel serves keyword rules as a model, so the test can count loads.
type keywordModel struct{ intent.Keywords }

func (keywordModel) Close() error { return nil }

func (k keywordModel) ClassifyBatch(ctx context.Context, texts []string) ([]intent.Prediction, error) {
	out := make([]intent.Prediction, len(texts))
	for i, text := range texts {
		out[i], _ = k.Classify(ctx, text)
	}
	return out, nil
}

// TestModelReloadReachesEveryInstance reloads the model through one of three instances that
// share Redis: all three load it again, the one asked exactly once.
func TestModelReloadReachesEveryInstance(t *testing.T) {
	opts, err := redis.ParseURL(testservers.URL(t, testservers.RedisEnv))
	if err != nil {
		t.Fatal(err)
	}
	prefix := "reload-" + newInstanceID() + ":"
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	loads := make([]atomic.Int32, 3)
	instances := make([]*gateway, 3)
	for i := range instances {
		client := redis.NewClient(opts)
		t.Cleanup(func() { client.Close() })
		bus := broadcast.NewRedis(client, prefix, log)
		t.Cleanup(func() { bus.Close() })
		model, err := intent.NewReloadable(func() (intent.Model, error) {
			loads[i].Add(1)
			return keywordModel{intent.Keywords{"card_lost": {"lost"}}}, nil
		})
		if err != nil {
			t.Fatal(err)
		}
		instances[i] = &gateway{log: log, bus: bus, model: model, instance: newInstanceID()}
		if err := instances[i].followReloads(ctx); err != nil {
			t.Fatal(err)
		}
	}
	if err := instances[1].ReloadEverywhere(ctx); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(5 * time.Second)
	for i := range loads {
		for loads[i].Load() < 2 && time.Now().Before(deadline) {
			time.Sleep(10 * time.Millisecond)
		}
	}
	time.Sleep(100 * time.Millisecond) // a duplicate reload would show by now
	for i := range loads {
		if got := loads[i].Load(); got != 2 {
			t.Errorf("instance %d loaded the model %d times, want 2 (start and reload)", i, got)
		}
	}
}
