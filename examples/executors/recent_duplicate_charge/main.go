// Command recent_duplicate_charge decides whether a customer was charged the same amount
// twice within a few hours, from the transactions the policy hydrates. Built for frontdesk's
// wasm host with
//
//	GOOS=wasip1 GOARCH=wasm go build -buildmode=c-shared -o recent_duplicate_charge.wasm .
//
// Selected values: amount (float, the disputed charge) and window_hours (int, optional:
// DefaultWindowHours when not selected).
// Hydration "transactions": a list of {"id", "amount", "charged_at" (RFC 3339)}.
// Rule: two charges of the amount (to the cent) whose times lie within window_hours of each
// other are a duplicate. The decision depends only on its inputs, not on the clock, so a
// policy run can be replayed.
// Answer: branch "duplicate" or "single"; variables duplicate_ids (the two charges' ids, or
// an empty list) and matches (how many charges had the amount).
package main

import (
	"encoding/json"
	"fmt"
	"math"
	"sort"
	"time"

	"github.com/frontdeskhq/frontdesk/sdk/executor"
)

// DefaultWindowHours is the window when the selector gives none.
const DefaultWindowHours = 5

// transaction is one charge as the back office reports it.
type transaction struct {
	ID        string    `json:"id"`
	Amount    float64   `json:"amount"`
	ChargedAt time.Time `json:"charged_at"`
}

func init() { executor.Handle(handle) }

// handle fetches the transactions and looks for two charges of the amount close together.
func handle(req executor.Request) (executor.Response, error) {
	amount := req.Float("amount")
	window := int64(DefaultWindowHours)
	if req.Has("window_hours") {
		window = req.Int("window_hours")
	}
	if err := req.Err(); err != nil {
		return executor.Response{}, err
	}
	raw, err := req.Hydrate("transactions")
	if err != nil {
		return executor.Response{}, err
	}
	var txs []transaction
	if err := json.Unmarshal(raw, &txs); err != nil {
		return executor.Response{}, fmt.Errorf("transactions: %w", err)
	}
	a, b, matches := findDuplicate(txs, amount, time.Duration(window)*time.Hour)
	ids := []string{}
	branch := "single"
	if a != nil {
		branch, ids = "duplicate", []string{a.ID, b.ID}
	}
	return executor.Response{Branch: branch, Vars: req.Vars(
		executor.Value("duplicate_ids", ids),
		executor.Int("matches", int64(matches)),
	)}, nil
}

// findDuplicate returns the closest pair of charges of amount within window of each other,
// and how many charges had the amount.
func findDuplicate(txs []transaction, amount float64, window time.Duration) (a, b *transaction, matches int) {
	cents := math.Round(amount * 100)
	var same []*transaction
	for i := range txs {
		if math.Round(txs[i].Amount*100) == cents {
			same = append(same, &txs[i])
		}
	}
	sort.Slice(same, func(i, j int) bool { return same[i].ChargedAt.Before(same[j].ChargedAt) })
	best := window + 1
	for i := 1; i < len(same); i++ {
		if gap := same[i].ChargedAt.Sub(same[i-1].ChargedAt); gap <= window && gap < best {
			a, b, best = same[i-1], same[i], gap
		}
	}
	return a, b, len(same)
}

func main() {}
