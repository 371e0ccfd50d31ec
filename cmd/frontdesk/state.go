package main

import (
	"errors"
	"fmt"
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

// redisQueue connects to the queue named by the --redis and --prefix flags.
func redisQueue(cmd *cobra.Command) (*queue.RedisStreams, func(), error) {
	url, _ := cmd.Flags().GetString("redis")
	prefix, _ := cmd.Flags().GetString("prefix")
	if url == "" {
		return nil, nil, errors.New("--redis URL is required")
	}
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
}

func newStateQueueCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "queue TOPIC...",
		Short: "Print the backlog, pending and dead-letter counts of topics on Redis Streams",
		Args:  cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			q, done, err := redisQueue(cmd)
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
			q, done, err := redisQueue(cmd)
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
