package queue_test

import (
	"bufio"
	"context"
	"database/sql"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/frontdeskhq/frontdesk/core/queue"
	"github.com/frontdeskhq/frontdesk/core/queue/queuetest"
	"github.com/frontdeskhq/frontdesk/core/store"
)

// sqliteDB opens a fresh database the way the embedded store does.
func sqliteDB(t testing.TB, path string) *sql.DB {
	t.Helper()
	s, err := store.OpenSQLite(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s.DB()
}

func newSQLiteQueue(t testing.TB, db *sql.DB, opts queue.SQLiteOptions) *queue.SQLite {
	t.Helper()
	q, err := queue.NewSQLite(context.Background(), db, opts)
	if err != nil {
		t.Fatal(err)
	}
	return q
}

func TestSQLiteConformance(t *testing.T) {
	queuetest.Run(t, func(t *testing.T, opts queue.Options) queue.Queue {
		db := sqliteDB(t, filepath.Join(t.TempDir(), "queue.db"))
		return newSQLiteQueue(t, db, queue.SQLiteOptions{Options: opts})
	})
}

// TestSQLiteSurvivesRestart publishes through one queue, closes it without consuming, and
// gets every message from a new queue on the same file.
func TestSQLiteSurvivesRestart(t *testing.T) {
	path := filepath.Join(t.TempDir(), "queue.db")
	first := newSQLiteQueue(t, sqliteDB(t, path), queue.SQLiteOptions{})
	for _, p := range []string{"a", "b", "c"} {
		if _, err := first.Publish(context.Background(), "replies", []byte(p)); err != nil {
			t.Fatal(err)
		}
	}
	first.Close()
	second := newSQLiteQueue(t, sqliteDB(t, path), queue.SQLiteOptions{})
	defer second.Close()
	got := make(chan string, 3)
	if err := second.Subscribe(context.Background(), "replies", func(_ context.Context, m queue.Message) error {
		got <- string(m.Payload)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for range 3 {
		select {
		case p := <-got:
			seen[p] = true
		case <-time.After(10 * time.Second):
			t.Fatalf("after the restart got %v, want a, b and c", seen)
		}
	}
}

// Environment of the consumer process TestSQLiteConsumerKilled starts.
const sqliteHelperEnv = "FRONTDESK_QUEUE_SQLITE_HELPER_DB"

// TestSQLiteHelperProcess is not a test: run by TestSQLiteConsumerKilled in a process of its
// own, it takes one message, says so on stdout and never finishes handling it.
func TestSQLiteHelperProcess(t *testing.T) {
	path := os.Getenv(sqliteHelperEnv)
	if path == "" {
		t.Skip("runs only as a helper process")
	}
	q := newSQLiteQueue(t, sqliteDB(t, path), queue.SQLiteOptions{ClaimIdle: time.Second, Options: queue.Options{Concurrency: 1}})
	err := q.Subscribe(context.Background(), "replies", func(_ context.Context, m queue.Message) error {
		fmt.Printf("handling %s\n", m.Payload)
		time.Sleep(2 * time.Minute) // the parent kills it long before
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	time.Sleep(2 * time.Minute)
}

// TestSQLiteConsumerKilled kills a consumer process with SIGKILL in the middle of handling a
// message: nothing is lost. The message it held is delivered again, as its second delivery,
// once its claim has run out, and the one it never took is delivered once.
func TestSQLiteConsumerKilled(t *testing.T) {
	if os.Getenv(sqliteHelperEnv) != "" {
		t.Skip("inside a helper process")
	}
	path := filepath.Join(t.TempDir(), "queue.db")
	q := newSQLiteQueue(t, sqliteDB(t, path), queue.SQLiteOptions{ClaimIdle: time.Second})
	for _, p := range []string{"held", "waiting"} {
		if _, err := q.Publish(context.Background(), "replies", []byte(p)); err != nil {
			t.Fatal(err)
		}
	}
	cmd := exec.Command(os.Args[0], "-test.run=^TestSQLiteHelperProcess$")
	cmd.Env = append(os.Environ(), sqliteHelperEnv+"="+path)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil || line != "handling held\n" {
		cmd.Process.Kill()
		t.Fatalf("helper said %q, %v", line, err)
	}
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	cmd.Wait()

	got := make(chan queue.Message, 2)
	if err := q.Subscribe(context.Background(), "replies", func(_ context.Context, m queue.Message) error {
		got <- m
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	deliveries := map[string]int{}
	for range 2 {
		select {
		case m := <-got:
			deliveries[string(m.Payload)] = m.Delivery
		case <-time.After(10 * time.Second):
			t.Fatalf("after the kill got %v, want held and waiting", deliveries)
		}
	}
	if deliveries["held"] != 2 || deliveries["waiting"] != 1 {
		t.Fatalf("deliveries %v, want held on its 2nd delivery and waiting on its 1st", deliveries)
	}
	waitStats(t, q, "replies", func(s queue.Stats) bool { return s == queue.Stats{} })
}

func TestSQLiteRedrive(t *testing.T) {
	db := sqliteDB(t, filepath.Join(t.TempDir(), "queue.db"))
	q := newSQLiteQueue(t, db, queue.SQLiteOptions{Options: queue.Options{MaxDeliveries: 1}})
	defer q.Close()
	testRedrive(t, q)
}
