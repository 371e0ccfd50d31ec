package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/frontdeskhq/frontdesk/core/queue"
	"github.com/frontdeskhq/frontdesk/core/session"
	"github.com/frontdeskhq/frontdesk/core/store"
)

// newStateCmd groups the operations on shared state: schema migrations before a rollout, and
// the work queue's counts and dead letters.
func newStateCmd() *cobra.Command {
	cmd := &cobra.Command{Use: "state", Short: "Migrate the store; inspect the work queue and redrive dead letters"}
	cmd.AddCommand(newStateMigrateCmd(), newStateQueueCmd(), newStateRedriveCmd())
	return cmd
}

func newStateMigrateCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "migrate TARGET",
		Short: "Apply the store's migrations to TARGET (a postgres:// URL or a SQLite file) and print its schema version",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			s, err := store.Open(cmd.Context(), args[0])
			if err != nil {
				return err
			}
			defer s.Close()
			v, err := s.SchemaVersion(cmd.Context())
			if err != nil {
				return err
			}
			fmt.Fprintf(cmd.OutOrStdout(), "schema version %d\n", v)
			return nil
		},
	}
}

// adminQueue is a work queue whose counts can be read and dead letters moved back.
type adminQueue interface {
	Stats(ctx context.Context, topic string) (queue.Stats, error)
	Redrive(ctx context.Context, topic string, limit int) (int, error)
}

// openQueue opens the queue named by the flags: Redis Streams (--redis, --prefix), or the
// SQLite queue in an embedded store's file (--store).
func openQueue(cmd *cobra.Command) (adminQueue, func(), error) {
	url, _ := cmd.Flags().GetString("redis")
	path, _ := cmd.Flags().GetString("store")
	switch {
	case (url == "") == (path == ""):
		return nil, nil, errors.New("one of --redis URL (shared state) or --store FILE (embedded state) is required")
	case path != "":
		return sqliteQueue(cmd.Context(), path)
	}
	return redisQueue(cmd, url)
}

// sqliteQueue opens the SQLite queue in the store file at path, which must exist.
func sqliteQueue(ctx context.Context, path string) (adminQueue, func(), error) {
	if _, err := os.Stat(path); err != nil {
		return nil, nil, fmt.Errorf("--store: %w", err)
	}
	st, err := store.OpenSQLite(ctx, path)
	if err != nil {
		return nil, nil, err
	}
	q, err := queue.NewSQLite(ctx, st.DB(), queue.SQLiteOptions{})
	if err != nil {
		st.Close()
		return nil, nil, err
	}
	return q, func() { q.Close(); st.Close() }, nil
}

// redisQueue connects to the Redis Streams queue at url, with the --prefix flag.
func redisQueue(cmd *cobra.Command, url string) (adminQueue, func(), error) {
	prefix, _ := cmd.Flags().GetString("prefix")
	c, err := session.NewRedisClient(url)
	if err != nil {
		return nil, nil, err
	}
	if err := c.Ping(cmd.Context()).Err(); err != nil {
		c.Close()
		return nil, nil, fmt.Errorf("redis %s: %w", url, err)
	}
	q := queue.NewRedisStreams(c, queue.RedisOptions{Prefix: prefix})
	return q, func() { q.Close(); c.Close() }, nil
}

func addQueueFlags(cmd *cobra.Command) {
	cmd.Flags().String("redis", "", "Redis URL (redis://host:port/db; ?master_name= for Sentinel, ?addr= for Cluster)")
	cmd.Flags().String("prefix", "", "stream key prefix (default frontdesk:queue:)")
	cmd.Flags().String("store", "", "the embedded store's SQLite file (store.path), whose queue holds one machine's work")
}

func newStateQueueCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "queue TOPIC...",
		Short: "Print the backlog, pending and dead-letter counts of topics (Redis Streams or the embedded store's queue)",
		Args:  cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			q, done, err := openQueue(cmd)
			if err != nil {
				return err
			}
			defer done()
			w := tabwriter.NewWriter(cmd.OutOrStdout(), 0, 4, 2, ' ', 0)
			fmt.Fprintln(w, "TOPIC\tBACKLOG\tPENDING\tDEAD")
			for _, topic := range args {
				s, err := q.Stats(cmd.Context(), topic)
				if err != nil {
					return err
				}
				fmt.Fprintf(w, "%s\t%d\t%d\t%d\n", topic, s.Backlog, s.Pending, s.Dead)
			}
			return w.Flush()
		},
	}
	addQueueFlags(cmd)
	return cmd
}

func newStateRedriveCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "redrive TOPIC",
		Short: "Move dead letters of TOPIC back onto it, oldest first, once their cause is fixed",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			q, done, err := openQueue(cmd)
			if err != nil {
				return err
			}
			defer done()
			limit, _ := cmd.Flags().GetInt("limit")
			n, err := q.Redrive(cmd.Context(), args[0], limit)
			fmt.Fprintf(cmd.OutOrStdout(), "%d dead letters moved back to %s\n", n, args[0])
			return err
		},
	}
	addQueueFlags(cmd)
	cmd.Flags().Int("limit", 1000, "move at most this many")
	return cmd
}
