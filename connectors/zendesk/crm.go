package zendesk

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"github.com/frontdeskhq/frontdesk/connectors/internal/notemark"
	"github.com/frontdeskhq/frontdesk/sdk/plugin"
)

// maxPages bounds how many pages of a listing are read, so that a runaway listing cannot keep a
// call busy (100 records a page).
const maxPages = 5

// EnsureCase returns the ticket with the request's external id, creating it when there is none.
// The create carries an Idempotency-Key (the request's, or one made from the external id), so
// a retried or racing create within Zendesk's two-hour key window gives the same ticket.
func (c *Client) EnsureCase(ctx context.Context, req plugin.CaseRequest) (plugin.Case, error) {
	if req.ExternalID == "" {
		return plugin.Case{}, errors.New("zendesk: ensure case: the request has no external id")
	}
	op := "find ticket " + req.ExternalID
	var list ticketList
	if err := c.do(ctx, op, http.MethodGet, "/api/v2/tickets.json?"+url.Values{"external_id": {req.ExternalID}}.Encode(), nil, nil, &list); err != nil {
		return plugin.Case{}, err
	}
	if len(list.Tickets) > 0 {
		// external_id is not unique in Zendesk: when there are several, the oldest is the case.
		oldest := slices.MinFunc(list.Tickets, func(a, b ticket) int { return cmp.Compare(a.ID, b.ID) })
		return c.caseOf(ctx, &oldest)
	}
	body := req.Description
	if body == "" {
		body = req.Subject
	}
	t := map[string]any{
		"subject":     req.Subject,
		"comment":     map[string]any{"body": body},
		"external_id": req.ExternalID,
		"tags":        c.tags(req.Channel),
	}
	if req.ContactEmail != "" {
		t["requester"] = map[string]any{"email": req.ContactEmail, "name": req.ContactEmail}
	}
	if c.cfg.CustomerFieldID != 0 && req.CustomerID != "" {
		t["custom_fields"] = []customField{{ID: c.cfg.CustomerFieldID, Value: req.CustomerID}}
	}
	key := req.IdempotencyKey
	if key == "" {
		key = "frontdesk-case:" + req.ExternalID
	}
	return c.ticketCall(ctx, "create ticket "+req.ExternalID, http.MethodPost, "/api/v2/tickets.json",
		http.Header{"Idempotency-Key": {key}}, map[string]any{"ticket": t})
}

func (c *Client) tags(channel string) []string {
	tags := slices.Clone(c.cfg.Tags)
	if channel != "" {
		tags = append(tags, "channel_"+channel)
	}
	return tags
}

// UpdateCase writes the status, the configured custom fields and req.Fields: numeric keys are
// custom field ids, other keys are ticket properties (priority, type, ...). Intent, confidence
// and category whose field id is not configured are not written.
func (c *Client) UpdateCase(ctx context.Context, req plugin.CaseUpdate) (plugin.Case, error) {
	id, err := ticketID(req.CaseID)
	if err != nil {
		return plugin.Case{}, err
	}
	t := map[string]any{}
	var custom []customField
	setIf := func(field int64, v any, set bool) {
		if field != 0 && set {
			custom = append(custom, customField{ID: field, Value: v})
		}
	}
	setIf(c.cfg.IntentFieldID, req.Intent, req.Intent != "")
	setIf(c.cfg.ConfidenceFieldID, req.Confidence, req.Confidence != 0)
	setIf(c.cfg.CategoryFieldID, req.Category, req.Category != "")
	if req.Status != "" {
		t["status"] = req.Status
	}
	for k, v := range req.Fields {
		if fid, err := strconv.ParseInt(k, 10, 64); err == nil {
			custom = append(custom, customField{ID: fid, Value: v})
		} else {
			t[k] = v
		}
	}
	if len(custom) > 0 {
		t["custom_fields"] = custom
	}
	if len(t) == 0 {
		return c.GetCase(ctx, req.CaseID)
	}
	return c.update(ctx, "update ticket "+req.CaseID, id, t)
}

// AssignCase assigns the ticket to a group (by id, by a name mapped in Config.Groups, or by the
// group's name in Zendesk) and/or an agent (by user id or email).
func (c *Client) AssignCase(ctx context.Context, req plugin.Assignment) (plugin.Case, error) {
	id, err := ticketID(req.CaseID)
	if err != nil {
		return plugin.Case{}, err
	}
	if req.Queue == "" && req.Agent == "" {
		return plugin.Case{}, fmt.Errorf("zendesk: assign ticket %s: no group or agent given", req.CaseID)
	}
	t := map[string]any{}
	if req.Queue != "" {
		gid, err := c.groupID(ctx, req.Queue)
		if err != nil {
			return plugin.Case{}, err
		}
		t["group_id"] = gid
	}
	if req.Agent != "" {
		uid, err := c.userID(ctx, req.Agent)
		if err != nil {
			return plugin.Case{}, err
		}
		t["assignee_id"] = uid
	}
	return c.update(ctx, "assign ticket "+req.CaseID, id, t)
}

// AddNote adds a comment, internal unless the note is public. A note with an idempotency key
// carries it as its last line, and is not added again when a comment already has it.
func (c *Client) AddNote(ctx context.Context, req plugin.Note) error {
	id, err := ticketID(req.CaseID)
	if err != nil {
		return err
	}
	op := "add note to ticket " + req.CaseID
	if req.IdempotencyKey != "" {
		done, err := c.hasNote(ctx, op, id, req.IdempotencyKey)
		if err != nil || done {
			return err
		}
	}
	comment := map[string]any{"body": notemark.Append(req.Body, req.IdempotencyKey), "public": req.Public}
	_, err = c.update(ctx, op, id, map[string]any{"comment": comment})
	return err
}

// commentList is one page of a ticket's comments.
type commentList struct {
	Comments []struct {
		ID   int64  `json:"id"`
		Body string `json:"body"`
	} `json:"comments"`
	NextPage *string `json:"next_page"`
}

// hasNote reports whether a comment of the ticket carries the key, newest pages first.
func (c *Client) hasNote(ctx context.Context, op string, id int64, key string) (bool, error) {
	next := fmt.Sprintf("/api/v2/tickets/%d/comments.json?sort_order=desc", id)
	for range maxPages {
		var page commentList
		if err := c.do(ctx, op, http.MethodGet, next, nil, nil, &page); err != nil {
			return false, err
		}
		for _, cm := range page.Comments {
			if notemark.Has(cm.Body, key) {
				return true, nil
			}
		}
		if page.NextPage == nil || *page.NextPage == "" {
			break
		}
		next = *page.NextPage
	}
	return false, nil
}

// GetCase returns the ticket; plugin.ErrNotFound when there is none.
func (c *Client) GetCase(ctx context.Context, caseID string) (plugin.Case, error) {
	id, err := ticketID(caseID)
	if err != nil {
		return plugin.Case{}, err
	}
	return c.ticketCall(ctx, "get ticket "+caseID, http.MethodGet, fmt.Sprintf("/api/v2/tickets/%d.json", id), nil, nil)
}

func (c *Client) update(ctx context.Context, op string, id int64, t map[string]any) (plugin.Case, error) {
	return c.ticketCall(ctx, op, http.MethodPut, fmt.Sprintf("/api/v2/tickets/%d.json", id), nil, map[string]any{"ticket": t})
}

// ticketCall sends a request answered with {"ticket": ...} and returns that ticket as a case.
func (c *Client) ticketCall(ctx context.Context, op, method, path string, header http.Header, body any) (plugin.Case, error) {
	var raw json.RawMessage
	if err := c.do(ctx, op, method, path, header, body, &raw); err != nil {
		return plugin.Case{}, err
	}
	t, err := decodeTicket(raw)
	if err != nil {
		return plugin.Case{}, fmt.Errorf("zendesk: %s: malformed response: %w", op, err)
	}
	return c.caseOf(ctx, t)
}

// caseOf turns a ticket into a case whose Queue is the group's name as policies know it: the
// name Config.Groups maps to it, else the group's name in Zendesk. Policies compare the names
// they assign with what GetCase says.
func (c *Client) caseOf(ctx context.Context, t *ticket) (plugin.Case, error) {
	cs := c.toCase(t)
	if t.GroupID == nil {
		return cs, nil
	}
	gid := *t.GroupID
	for name, id := range c.cfg.Groups {
		if id == gid {
			cs.Queue = name
			return cs, nil
		}
	}
	c.mu.Lock()
	name, ok := c.groupNames[gid]
	c.mu.Unlock()
	if !ok {
		if err := c.refreshGroups(ctx); err != nil {
			return plugin.Case{}, err
		}
		c.mu.Lock()
		if name, ok = c.groupNames[gid]; !ok {
			// A group this agent cannot see: remember that its id is all there is.
			name = cs.Queue
			c.groupNames[gid] = name
		}
		c.mu.Unlock()
	}
	cs.Queue = name
	return cs, nil
}

// ticketID parses a case id; what is not a ticket number cannot name a ticket.
func ticketID(caseID string) (int64, error) {
	id, err := strconv.ParseInt(caseID, 10, 64)
	if err != nil || id <= 0 {
		return 0, fmt.Errorf("zendesk: %q is not a ticket id: %w", caseID, plugin.ErrNotFound)
	}
	return id, nil
}

// groupID resolves a queue name to a group id, listing the account's groups once.
func (c *Client) groupID(ctx context.Context, name string) (int64, error) {
	if id, ok := c.cfg.Groups[name]; ok {
		return id, nil
	}
	if id, err := strconv.ParseInt(name, 10, 64); err == nil {
		return id, nil
	}
	key := strings.ToLower(name)
	c.mu.Lock()
	id, ok := c.groups[key]
	c.mu.Unlock()
	if !ok {
		if err := c.refreshGroups(ctx); err != nil {
			return 0, err
		}
		c.mu.Lock()
		id, ok = c.groups[key]
		c.mu.Unlock()
	}
	if !ok {
		return 0, fmt.Errorf("zendesk: no group named %q: %w", name, plugin.ErrNotFound)
	}
	return id, nil
}

// refreshGroups lists the account's groups into the caches of ids by lower-cased name and of
// names by id.
func (c *Client) refreshGroups(ctx context.Context) error {
	byName, byID := map[string]int64{}, map[int64]string{}
	next := "/api/v2/groups.json"
	for range maxPages {
		var page struct {
			Groups []struct {
				ID      int64  `json:"id"`
				Name    string `json:"name"`
				Deleted bool   `json:"deleted"`
			} `json:"groups"`
			NextPage *string `json:"next_page"`
		}
		if err := c.do(ctx, "list groups", http.MethodGet, next, nil, nil, &page); err != nil {
			return err
		}
		for _, g := range page.Groups {
			if !g.Deleted {
				byName[strings.ToLower(g.Name)] = g.ID
				byID[g.ID] = g.Name
			}
		}
		if page.NextPage == nil || *page.NextPage == "" {
			break
		}
		next = *page.NextPage
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.groups = byName
	maps.Copy(c.groupNames, byID)
	return nil
}

// userID resolves an agent, given as a user id or an email, to a user id.
func (c *Client) userID(ctx context.Context, agent string) (int64, error) {
	if id, err := strconv.ParseInt(agent, 10, 64); err == nil {
		return id, nil
	}
	if !strings.Contains(agent, "@") {
		return 0, fmt.Errorf("zendesk: agent %q is neither a user id nor an email", agent)
	}
	c.mu.Lock()
	id, ok := c.users[agent]
	c.mu.Unlock()
	if ok {
		return id, nil
	}
	var res struct {
		Users []struct {
			ID    int64  `json:"id"`
			Email string `json:"email"`
			Role  string `json:"role"`
		} `json:"users"`
	}
	op := "find agent " + agent
	if err := c.do(ctx, op, http.MethodGet, "/api/v2/users/search.json?"+url.Values{"query": {agent}}.Encode(), nil, nil, &res); err != nil {
		return 0, err
	}
	for _, u := range res.Users {
		// The search matches more than the email; only an agent or admin with that very email
		// can be assigned a ticket.
		if strings.EqualFold(u.Email, agent) && (u.Role == "agent" || u.Role == "admin") {
			c.mu.Lock()
			c.users[agent] = u.ID
			c.mu.Unlock()
			return u.ID, nil
		}
	}
	return 0, fmt.Errorf("zendesk: %s: no agent with that email: %w", op, plugin.ErrNotFound)
}
