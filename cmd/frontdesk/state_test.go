package main

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"strings"
	"testing"

	"github.com/frontdeskhq/frontdesk/core/queue"
	"github.com/frontdeskhq/frontdesk/core/session"
	"github.com/frontdeskhq/frontdesk/core/store"
	"github.com/frontdeskhq/frontdesk/core/store/testservers"
)

func runStateCmd(t *testing.T, args ...string) (string, error) {
	t.Helper()
	var out bytes.Buffer
	root := newRootCmd()
	root.SetOut(&out)
	root.SetErr(&out)
	root.SetArgs(args)
	err := root.ExecuteContext(context.Background())
	return out.String(), err
}

func TestStateMigrate(t *testing.T) {
	out, err := runStateCmd(t, "state", "migrate", filepath.Join(t.TempDir(), "frontdesk.db"))
	if err != nil || !strings.HasPrefix(out, "schema version ") || strings.HasPrefix(out, "schema version 0") {
		t.Fatalf("state migrate = %q, %v", out, err)
	}
	if _, err := runStateCmd(t, "state", "migrate", "postgres://nobody@127.0.0.1:1/none?connect_timeout=1"); err == nil {
		t.Fatal("migrating an unreachable PostgreSQL succeeded")
	}
}

func TestStateQueueAndRedrive(t *testing.T) {
	url := testservers.URL(t, testservers.RedisEnv)
	prefix := fmt.Sprintf("test:%x:", rand.Uint64())
	c, err := session.NewRedisClient(url)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	defer func() {
		if keys, _ := c.Keys(context.Background(), prefix+"*").Result(); len(keys) > 0 {
			c.Del(context.Background(), keys...)
		}
	}()
	q := queue.NewRedisStreams(c, queue.RedisOptions{Prefix: prefix})
	defer q.Close()
	checkStateQueue(t, q, "--redis", url, "--prefix", prefix)
}

// TestStateQueueAndRedriveEmbedded does the same on the queue in an embedded store's file.
func TestStateQueueAndRedriveEmbedded(t *testing.T) {
	path := filepath.Join(t.TempDir(), "frontdesk.db")
	st, err := store.OpenSQLite(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	q, err := queue.NewSQLite(context.Background(), st.DB(), queue.SQLiteOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer q.Close()
	checkStateQueue(t, q, "--store", path)
	if _, err := runStateCmd(t, "state", "queue", "--store", filepath.Join(t.TempDir(), "missing.db"), "intake"); err == nil {
		t.Fatal("state queue on a missing store file succeeded")
	}
}

// checkStateQueue puts two dead letters on q's topic intake, then checks that state queue
// (with flags naming q) counts them and state redrive moves them back.
func checkStateQueue(t *testing.T, q queue.Queue, flags ...string) {
	t.Helper()
	for range 2 {
		if _, err := q.Publish(context.Background(), "intake.dead", []byte("x")); err != nil {
			t.Fatal(err)
		}
	}
	out, err := runStateCmd(t, append(append([]string{"state", "queue"}, flags...), "intake")...)
	if lines := strings.Split(out, "\n"); err != nil || len(lines) < 2 || strings.Join(strings.Fields(lines[1]), " ") != "intake 0 0 2" {
		t.Fatalf("state queue = %q, %v", out, err)
	}
	out, err = runStateCmd(t, append(append([]string{"state", "redrive"}, flags...), "intake")...)
	if err != nil || !strings.HasPrefix(out, "2 dead letters moved back to intake") {
		t.Fatalf("state redrive = %q, %v", out, err)
	}
	if s, _ := q.Stats(context.Background(), "intake"); s.Backlog != 2 || s.Dead != 0 {
		t.Fatalf("after redrive: %+v", s)
	}
	if _, err := runStateCmd(t, "state", "queue", "intake"); err == nil {
		t.Fatal("state queue naming no queue succeeded")
	}
}
