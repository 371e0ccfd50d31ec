package main

import (
	"context"
	_ "embed"
	"encoding/json"
	"fmt"

	"github.com/frontdeskhq/frontdesk/sdk/plugin"
)

//go:embed points.json
var pointsJSON []byte

// account is one customer's loyalty account.
type account struct {
	CustomerID string `json:"customer_id"`
	Points     int    `json:"points"`
	Tier       string `json:"tier"`
	Expires    string `json:"expires"`
}

// reward is something points buy.
type reward struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	Cost int    `json:"cost"`
}

// Loyalty is a loyalty-points program as a frontdesk Hydrator. A policy uses it as
//
//	hydrations:
//	  loyalty: { plugin: loyalty, call: GetPoints, args: { customer_id: contact.customer_id } }
//
// and then decides on loyalty.points or loyalty.tier.
type Loyalty struct {
	accounts map[string]account
	rewards  []reward
}

// NewLoyalty reads the program's data from JSON (points.json's shape).
func NewLoyalty(data []byte) (*Loyalty, error) {
	var doc struct {
		Accounts []account `json:"accounts"`
		Rewards  []reward  `json:"rewards"`
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		return nil, fmt.Errorf("loyalty data: %w", err)
	}
	l := &Loyalty{accounts: make(map[string]account, len(doc.Accounts)), rewards: doc.Rewards}
	for _, a := range doc.Accounts {
		l.accounts[a.CustomerID] = a
	}
	return l, nil
}

// Fetch implements plugin.Hydrator with two calls:
//
//	GetPoints   {customer_id}  -> {customer_id, points, tier, expires}
//	ListRewards {customer_id}  -> [{id, name, cost}] the customer can afford
func (l *Loyalty) Fetch(_ context.Context, call string, args map[string]any) (any, error) {
	id, ok := args["customer_id"].(string)
	if !ok || id == "" {
		return nil, fmt.Errorf("%w: %s needs a customer_id string", plugin.ErrInvalidArgument, call)
	}
	acct, ok := l.accounts[id]
	if !ok {
		return nil, fmt.Errorf("%w: no loyalty account for %s", plugin.ErrNotFound, id)
	}
	switch call {
	case "GetPoints":
		return acct, nil
	case "ListRewards":
		out := []reward{}
		for _, r := range l.rewards {
			if r.Cost <= acct.Points {
				out = append(out, r)
			}
		}
		return out, nil
	}
	return nil, fmt.Errorf("%w: loyalty has no call %q (GetPoints, ListRewards)", plugin.ErrUnimplemented, call)
}
