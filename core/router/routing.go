package router

import (
	"fmt"
	"sort"
)

// Routing names the human team (a CRM queue) for each intent that automation does not finish,
// with a default for the rest. Unknown intents go to the default team.
type Routing struct {
	DefaultTeam string
	byIntent    map[string]string
}

// NewRouting builds a routing table from teams and the intents each one takes. An intent
// listed under two teams is an error.
func NewRouting(defaultTeam string, teams map[string][]string) (Routing, error) {
	if defaultTeam == "" {
		return Routing{}, fmt.Errorf("routing: a default team is required")
	}
	r := Routing{DefaultTeam: defaultTeam, byIntent: map[string]string{}}
	names := make([]string, 0, len(teams))
	for t := range teams {
		names = append(names, t)
	}
	sort.Strings(names)
	for _, team := range names {
		for _, in := range teams[team] {
			if prev, dup := r.byIntent[in]; dup {
				return Routing{}, fmt.Errorf("routing: intent %q is listed under teams %q and %q", in, prev, team)
			}
			r.byIntent[in] = team
		}
	}
	return r, nil
}

// TeamFor returns the team for an intent.
func (r Routing) TeamFor(intent string) string {
	if t, ok := r.byIntent[intent]; ok {
		return t
	}
	return r.DefaultTeam
}
