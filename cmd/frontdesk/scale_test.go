package main

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/valyala/fasthttp"

	"github.com/frontdeskhq/frontdesk/core/store/testservers"
	"github.com/frontdeskhq/frontdesk/internal/repotest"
)

// BenchmarkScale measures messages/s through the in-app endpoint of 1, 2 and 3 frontdesk
// processes (make bench-scale): embedded state (one instance only: its sessions live in its
// memory) and shared state (Redis sessions, PostgreSQL store). An op is one flow of two
// messages: a start by intent, which runs the 5-node statement policy to its question, and the
// answer, which resumes it to the end, each sent to the next instance in turn, so every answer
// is resumed by another process than the one that asked. Besides msgs/s it reports the
// instances' CPU time per message, the figure that shows the cost of shared state on a
// machine whose cores the instances share.
func BenchmarkScale(b *testing.B) {
	policies := filepath.Join(repotest.Root(b), "cmd", "benchhttp")
	embedded := fmt.Sprintf("store: { path: %s }\n", filepath.Join(b.TempDir(), "frontdesk.db"))
	for _, tc := range []struct {
		name      string
		instances int
		shared    bool
	}{
		{"embedded/instances=1", 1, false},
		{"shared/instances=1", 1, true},
		{"shared/instances=2", 2, true},
		{"shared/instances=3", 3, true},
	} {
		b.Run(tc.name, func(b *testing.B) {
			state := embedded
			if tc.shared {
				state = sharedConfig(testservers.StartRedis(b).Addr(), clusterDatabase(b))
			}
			c := newCluster(b, tc.instances, state+"policies: { dir: "+policies+" }\nlog: { level: warn }\n")
			for i := range tc.instances {
				c.start(i)
			}
			benchFlows(b, c)
		})
	}
}

// benchFlows runs b.N statement flows from 32 concurrent clients.
func benchFlows(b *testing.B, c *cluster) {
	client := &fasthttp.Client{MaxConnsPerHost: 64, ReadTimeout: 10 * time.Second}
	var next atomic.Int64
	var failed atomic.Value
	flow := func(n int64) error {
		first := c.addrs[n%int64(len(c.addrs))]
		var started struct {
			FlowID string `json:"flow_id"`
		}
		if err := postJSON(client, "http://"+first+"/v1/inapp/flows", `{"intent":"statement_request"}`, 201, &started); err != nil {
			return err
		}
		second := c.addrs[(n+1)%int64(len(c.addrs))]
		var done struct {
			Screen struct {
				Kind string `json:"kind"`
			} `json:"screen"`
		}
		body := `{"screen_id":"period","data":{"choice":"last"}}`
		if err := postJSON(client, "http://"+second+"/v1/inapp/flows/"+started.FlowID+"/input", body, 200, &done); err != nil {
			return err
		}
		if done.Screen.Kind != "end" {
			return fmt.Errorf("the flow ended on a %q screen", done.Screen.Kind)
		}
		return nil
	}
	cpu := c.cpuTime()
	b.ResetTimer()
	start := time.Now()
	var wg sync.WaitGroup
	for range 32 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				n := next.Add(1) - 1
				if n >= int64(b.N) || failed.Load() != nil {
					return
				}
				if err := flow(n); err != nil {
					failed.CompareAndSwap(nil, err)
				}
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	b.StopTimer()
	if err := failed.Load(); err != nil {
		b.Fatal(err)
	}
	msgs := float64(2 * b.N)
	b.ReportMetric(msgs/elapsed.Seconds(), "msgs/s")
	b.ReportMetric(float64(c.cpuTime()-cpu)/float64(time.Microsecond)/msgs, "server-cpu-us/msg")
}

// postJSON posts body and decodes the answer into out, which must come with status want.
func postJSON(client *fasthttp.Client, url, body string, want int, out any) error {
	req, resp := fasthttp.AcquireRequest(), fasthttp.AcquireResponse()
	defer fasthttp.ReleaseRequest(req)
	defer fasthttp.ReleaseResponse(resp)
	req.Header.SetMethod("POST")
	req.SetRequestURI(url)
	req.Header.SetContentType("application/json")
	req.SetBodyString(body)
	if err := client.Do(req, resp); err != nil {
		return err
	}
	if resp.StatusCode() != want {
		return fmt.Errorf("POST %s: %d %s", url, resp.StatusCode(), resp.Body())
	}
	return json.Unmarshal(resp.Body(), out)
}
