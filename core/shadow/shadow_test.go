package shadow_test

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/frontdeskhq/frontdesk/core/lifecycle"
	"github.com/frontdeskhq/frontdesk/core/message"
	"github.com/frontdeskhq/frontdesk/core/policy"
	"github.com/frontdeskhq/frontdesk/core/router"
	"github.com/frontdeskhq/frontdesk/core/session"
	"github.com/frontdeskhq/frontdesk/core/shadow"
	"github.com/frontdeskhq/frontdesk/core/store"
	"github.com/frontdeskhq/frontdesk/internal/repotest"
	"github.com/frontdeskhq/frontdesk/plugins"
)

// countingPlugin builds the test plugin that logs every call it answers.
func countingPlugin(t *testing.T) string {
	t.Helper()
	return repotest.Build(t, t.TempDir(), "./core/shadow/testdata/countingplugin")
}

func calls(t *testing.T, path string) map[string]int {
	t.Helper()
	f, err := os.Open(path)
	if os.IsNotExist(err) {
		return map[string]int{}
	}
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	out := map[string]int{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		out[sc.Text()]++
	}
	return out
}

// TestShadowNeverTouchesPlugins runs the change-of-address policy live (version 1) with its
// version 2 in shadow, against real plugin processes that count their calls. The live runs
// stop at the first question; the shadow runs answer it at random and go on through the one-
// time code, the change request and the case assignment. The plugins must see only the live
// runs' two lookups per conversation.
func TestShadowNeverTouchesPlugins(t *testing.T) {
	ctx := context.Background()
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	bin := countingPlugin(t)
	counts := filepath.Join(t.TempDir(), "calls.txt")
	host, err := plugins.Start(ctx, []plugins.Config{
		{Name: "backoffice", Command: bin, Env: map[string]string{"COUNT_FILE": counts}},
		{Name: "crm", Command: bin, Env: map[string]string{"COUNT_FILE": counts}},
	}, log)
	if err != nil {
		t.Fatal(err)
	}
	defer host.Close()

	st, err := store.OpenSQLite(ctx, filepath.Join(t.TempDir(), "shadow.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	body, err := os.ReadFile(filepath.Join(repotest.Root(t), "examples", "policies", "change-address.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	for v, to := range []store.State{store.StateLive, store.StateShadow} {
		if _, err := st.CreateVersion(ctx, "change-address", string(body), "test"); err != nil {
			t.Fatal(err)
		}
		for _, s := range []store.State{store.StateShadow, store.StateFinal, store.StateLive} {
			if _, err := st.SetState(ctx, "change-address", v+1, s); err != nil {
				t.Fatal(err)
			}
			if s == to {
				break
			}
		}
	}

	otp := func(context.Context, policy.ActionCall) (policy.ActionResult, error) {
		return policy.ActionResult{}, nil
	}
	actions := host.Actions().Merge(policy.Actions{"otp.verify": otp})
	all := router.BuiltinActions(log).Merge(actions)
	sources := host.Sources()
	names := make([]string, 0, len(sources))
	for n := range sources {
		names = append(names, n)
	}
	cat, err := lifecycle.NewCatalog(ctx, st,
		policy.Env{Sources: shadow.Recording(sources), Actions: all},
		policy.Env{Sources: shadow.Replaying(names), Actions: all}, log)
	if err != nil {
		t.Fatal(err)
	}
	runner := shadow.New(shadow.Config{Versions: cat.Shadow, Library: cat.ShadowLibrary(), Actions: all,
		Pure: router.BuiltinActions(log), Runs: st, Logger: log})
	defer runner.Close()
	r, err := router.New(router.Config{Sessions: session.NewMemory(), Policies: cat, Versions: cat, Shadow: runner,
		Actions: actions, Runs: st, Logger: log})
	if err != nil {
		t.Fatal(err)
	}

	const n = 20
	for i := range n {
		replies, err := r.Handle(ctx, message.Message{Channel: "webchat", Intent: "change_address", Contact: message.Contact{CustomerID: fmt.Sprint("C-", i)}})
		if err != nil {
			t.Fatal(err)
		}
		if last := replies[len(replies)-1]; last.Node != "confirm" {
			t.Fatalf("live run %d: replies %+v, want the confirm question", i, replies)
		}
	}
	deadline := time.Now().Add(20 * time.Second)
	for done, _ := runner.Stats(); done < n; done, _ = runner.Stats() {
		if time.Now().After(deadline) {
			t.Fatalf("%d of %d shadow runs done", done, n)
		}
		time.Sleep(10 * time.Millisecond)
	}

	got := calls(t, counts)
	want := map[string]int{"GetCustomer": n, "ListChangeRequests": n}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("plugin calls = %v, want only the live runs' lookups %v", got, want)
	}
	yes := true
	hits, err := st.NodeHits(ctx, "change-address", store.RunFilter{Version: 2, Shadow: &yes})
	if err != nil {
		t.Fatal(err)
	}
	if hits["check"] != n || hits["confirm"] != n || hits["submit"] == 0 || hits["approval"] == 0 || hits["handoff"] == 0 {
		t.Fatalf("shadow node hits = %v: want every run through check and confirm, and both answers taken", hits)
	}
	outcomes, err := st.OutcomeCounts(ctx, "change-address", store.RunFilter{Shadow: &yes})
	if err != nil {
		t.Fatal(err)
	}
	var total int64
	for _, o := range outcomes {
		total += o.Runs
		if o.Version != 2 || (o.Outcome != "submitted_for_approval" && o.Outcome != "handed_off") {
			t.Fatalf("shadow outcome %+v", o)
		}
	}
	if total != n {
		t.Fatalf("%d shadow runs recorded, want %d", total, n)
	}
	// The live runs go on as if nothing happened beside them.
	replies, err := r.Handle(ctx, message.Message{Channel: "webchat", ConversationID: "", Intent: "change_address", Contact: message.Contact{CustomerID: "C-x"}})
	if err != nil || !strings.Contains(replies[len(replies)-1].Text, "change the postal address") {
		t.Fatalf("live reply = %+v, %v", replies, err)
	}
}
