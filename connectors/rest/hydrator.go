package rest

import (
	"context"
	"fmt"
	"strings"
)

// Fetch runs the named hydrator call: its templates see the args, and the result is the JSON
// at its response.root, as JSON-shaped Go values (integers as int64).
func (c *Client) Fetch(ctx context.Context, call string, args map[string]any) (any, error) {
	e, ok := c.eps.hydrators[call]
	if !ok {
		return nil, fmt.Errorf("rest: no hydrator named %q; configured: %s", call, strings.Join(sortedKeys(c.eps.hydrators), ", "))
	}
	if args == nil {
		args = map[string]any{}
	}
	v, err := c.call(ctx, e, args)
	if err != nil {
		return nil, err
	}
	return plain(v), nil
}
