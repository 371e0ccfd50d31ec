package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/frontdeskhq/frontdesk/connectors/local"
)

// newLocalCmd lets a person look inside the local development stack (connectors/local) that
// `make run` acts on: the CRM's cases and their notes, the back office's customers and change
// requests, the SMS outbox.
func newLocalCmd() *cobra.Command {
	var db string
	var limit int
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "local cases|notes CASE-ID|customers|changes|outbox",
		Short: "Show what is in the local development stack (CRM, back office, SMS outbox)",
		Long: `Print the local stack's SQLite file (the frontdesk-local plugin's, --db or $` + local.EnvDB + `,
else ` + local.DefaultDB + `) as tables: the newest cases, a case's notes (the decision log),
the customers, the change requests awaiting approval and the SMS outbox.`,
		Args: cobra.RangeArgs(1, 2),
		RunE: func(cmd *cobra.Command, args []string) error {
			if _, err := os.Stat(db); errors.Is(err, os.ErrNotExist) {
				return fmt.Errorf("local: %s does not exist; start frontdesk with the local plugin (make run) or pass --db", db)
			}
			store, err := local.Open(db)
			if err != nil {
				return err
			}
			defer store.Close()
			ctx := cmd.Context()
			var rows [][]string
			var head []string
			var data any
			switch what := args[0]; {
			case what == "notes" && len(args) == 2:
				notes, err := store.Notes(ctx, args[1])
				if err != nil {
					return err
				}
				data, head = notes, []string{"TIME", "PUBLIC", "KEY", "NOTE"}
				for _, n := range notes {
					rows = append(rows, []string{localTime(n.Created), localYesNo(n.Public), n.IdempotencyKey, n.Body})
				}
			case len(args) == 2:
				return fmt.Errorf("local %s takes no further argument", what)
			case what == "cases":
				cases, err := store.Cases(ctx, limit)
				if err != nil {
					return err
				}
				data, head = cases, []string{"ID", "EXTERNAL ID", "STATUS", "INTENT", "CONF", "QUEUE", "AGENT", "CUSTOMER", "UPDATED", "SUBJECT"}
				for _, c := range cases {
					rows = append(rows, []string{c.ID, c.ExternalID, c.Status, c.Intent, fmt.Sprintf("%.2f", c.Confidence),
						c.Queue, c.Agent, c.CustomerID, localTime(c.Updated), c.Subject})
				}
			case what == "customers":
				customers, err := store.Customers(ctx)
				if err != nil {
					return err
				}
				data, head = customers, []string{"ID", "NAME", "PHONE", "EMAIL", "ADDRESS", "ATTRIBUTES"}
				for _, c := range customers {
					a := c.Address
					rows = append(rows, []string{c.ID, c.Name, c.Phone, c.Email,
						strings.Join([]string{a.Street, a.Postcode + " " + a.City, a.Country}, ", "), localPairs(c.Attributes)})
				}
			case what == "changes":
				changes, err := store.Changes(ctx, limit)
				if err != nil {
					return err
				}
				data, head = changes, []string{"ID", "STATUS", "CUSTOMER", "KIND", "CASE", "CREATED", "FIELDS"}
				for _, c := range changes {
					rows = append(rows, []string{c.ID, c.Status, c.CustomerID, c.Kind, c.CaseID, localTime(c.Created), localPairs(c.Fields)})
				}
			case what == "outbox":
				msgs, err := store.Outbox(ctx, limit)
				if err != nil {
					return err
				}
				data, head = msgs, []string{"ID", "STATUS", "TO", "CREATED", "BODY"}
				for _, m := range msgs {
					rows = append(rows, []string{m.ID, m.Status, m.To, localTime(m.Created), m.Body})
				}
			default:
				return fmt.Errorf("local: unknown table %q; want cases, notes CASE-ID, customers, changes or outbox", strings.Join(args, " "))
			}
			if asJSON {
				enc := json.NewEncoder(cmd.OutOrStdout())
				enc.SetIndent("", "  ")
				return enc.Encode(data)
			}
			return localTable(cmd.OutOrStdout(), head, rows)
		},
	}
	cmd.Flags().StringVar(&db, "db", local.DBPath(), "the local stack's SQLite file")
	cmd.Flags().IntVar(&limit, "limit", 50, "show at most this many of the newest rows")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print JSON instead of a table")
	return cmd
}

func localTable(w io.Writer, head []string, rows [][]string) error {
	if len(rows) == 0 {
		_, err := fmt.Fprintln(w, "(none)")
		return err
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, strings.Join(head, "\t"))
	for _, r := range rows {
		for i, cell := range r {
			r[i] = strings.ReplaceAll(cell, "\n", " ") // keep a row on one line
		}
		fmt.Fprintln(tw, strings.Join(r, "\t"))
	}
	return tw.Flush()
}

func localTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Local().Format("2006-01-02 15:04:05")
}

func localYesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

// localPairs writes a map as k=v pairs in key order.
func localPairs(m map[string]string) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for i, k := range keys {
		keys[i] = k + "=" + m[k]
	}
	return strings.Join(keys, " ")
}
