package queue_test

import (
	"context"
	"testing"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/frontdeskhq/frontdesk/core/queue"
)

func TestCollector(t *testing.T) {
	q := queue.NewMemory(queue.Options{})
	defer q.Close()
	for range 3 {
		if _, err := q.Publish(context.Background(), "intake", []byte("x")); err != nil {
			t.Fatal(err)
		}
	}
	reg := prometheus.NewPedanticRegistry()
	reg.MustRegister(queue.NewCollector(q, "intake", "idle"))
	families, err := reg.Gather()
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]float64{}
	for _, f := range families {
		for _, m := range f.GetMetric() {
			got[f.GetName()+"/"+m.GetLabel()[0].GetValue()] = m.GetGauge().GetValue()
		}
	}
	want := map[string]float64{
		"frontdesk_queue_backlog/intake": 3, "frontdesk_queue_pending/intake": 0, "frontdesk_queue_dead/intake": 0,
		"frontdesk_queue_backlog/idle": 0, "frontdesk_queue_pending/idle": 0, "frontdesk_queue_dead/idle": 0,
	}
	if len(got) != len(want) {
		t.Fatalf("gathered %v, want %v", got, want)
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s = %v, want %v", k, got[k], v)
		}
	}
	q.Close()
	if _, err := reg.Gather(); err == nil {
		t.Fatal("a scrape of a closed queue succeeded")
	}
}
