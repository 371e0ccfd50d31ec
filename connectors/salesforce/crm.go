package salesforce

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/frontdeskhq/frontdesk/connectors/internal/notemark"
	"github.com/frontdeskhq/frontdesk/sdk/plugin"
)

// upsertResult is the answer to a create or an upsert.
type upsertResult struct {
	ID      string      `json:"id"`
	Success bool        `json:"success"`
	Created bool        `json:"created"`
	Errors  []ErrorItem `json:"errors"`
}

// EnsureCase returns the case with the request's external id, creating it when there is none.
// It looks the case up first and creates it by an upsert on the external-id field, so that two
// racing calls for one external id still make one case, and an existing case is never
// overwritten with the request's fields.
func (c *Client) EnsureCase(ctx context.Context, req plugin.CaseRequest) (plugin.Case, error) {
	if req.ExternalID == "" {
		return plugin.Case{}, errors.New("salesforce: ensure case: the request has no external id")
	}
	byExtID := "/sobjects/Case/" + c.cfg.ExternalIDField + "/" + url.PathEscape(req.ExternalID)
	op := "find case " + req.ExternalID
	got, err := c.getCase(ctx, op, byExtID)
	if err == nil || !errors.Is(err, plugin.ErrNotFound) {
		return got, err
	}
	fields := map[string]any{
		"Subject":     req.Subject,
		"Description": req.Description,
	}
	if req.ContactEmail != "" {
		fields["SuppliedEmail"] = req.ContactEmail
	}
	if req.ContactPhone != "" {
		fields["SuppliedPhone"] = req.ContactPhone
	}
	if origin, ok := c.cfg.Origins[req.Channel]; ok {
		fields["Origin"] = origin
	}
	if c.cfg.CustomerField != "" && req.CustomerID != "" {
		fields[c.cfg.CustomerField] = req.CustomerID
	}
	var res upsertResult
	if err := c.do(ctx, "create case "+req.ExternalID, http.MethodPatch, byExtID, nil, fields, &res); err != nil {
		return plugin.Case{}, err
	}
	if res.ID == "" {
		// API versions before 46.0 answer an upsert that updated with 204 and no body.
		return c.getCase(ctx, op, byExtID)
	}
	return c.GetCase(ctx, res.ID)
}

// UpdateCase writes the intent, confidence, category, status and custom fields that are set.
// Intent, confidence and category go to the configured fields; one configured as "" is skipped.
func (c *Client) UpdateCase(ctx context.Context, req plugin.CaseUpdate) (plugin.Case, error) {
	if err := checkID(req.CaseID); err != nil {
		return plugin.Case{}, err
	}
	fields := map[string]any{}
	setIf := func(field string, v any, set bool) {
		if field != "" && set {
			fields[field] = v
		}
	}
	setIf(c.cfg.IntentField, req.Intent, req.Intent != "")
	setIf(c.cfg.ConfidenceField, req.Confidence, req.Confidence != 0)
	setIf(c.cfg.CategoryField, req.Category, req.Category != "")
	setIf("Status", req.Status, req.Status != "")
	for k, v := range req.Fields {
		fields[k] = v
	}
	if len(fields) > 0 {
		if err := c.patchCase(ctx, "update case "+req.CaseID, req.CaseID, fields); err != nil {
			return plugin.Case{}, err
		}
	}
	return c.GetCase(ctx, req.CaseID)
}

// AssignCase makes a queue or a user the case's owner. A queue is named by a Group id, a
// DeveloperName or a name mapped in Config.Queues; a user by a User id or a username.
func (c *Client) AssignCase(ctx context.Context, req plugin.Assignment) (plugin.Case, error) {
	if err := checkID(req.CaseID); err != nil {
		return plugin.Case{}, err
	}
	var owner string
	var err error
	switch {
	case req.Queue != "" && req.Agent != "":
		return plugin.Case{}, fmt.Errorf("salesforce: assign case %s: a case has one owner; got queue %q and agent %q", req.CaseID, req.Queue, req.Agent)
	case req.Queue != "":
		owner, err = c.queueID(ctx, req.Queue)
	case req.Agent != "":
		owner, err = c.userID(ctx, req.Agent)
	default:
		return plugin.Case{}, fmt.Errorf("salesforce: assign case %s: no queue or agent given", req.CaseID)
	}
	if err != nil {
		return plugin.Case{}, err
	}
	if err := c.patchCase(ctx, "assign case "+req.CaseID, req.CaseID, map[string]any{"OwnerId": owner}); err != nil {
		return plugin.Case{}, err
	}
	return c.GetCase(ctx, req.CaseID)
}

// AddNote writes the note as a CaseComment or a Task, as configured. When the note has an
// idempotency key, the key is kept in the note's body and a note already carrying it is not
// written again.
func (c *Client) AddNote(ctx context.Context, req plugin.Note) error {
	if err := checkID(req.CaseID); err != nil {
		return err
	}
	op := "add note to case " + req.CaseID
	if req.IdempotencyKey != "" {
		done, err := c.hasNote(ctx, op, req.CaseID, req.IdempotencyKey)
		if err != nil || done {
			return err
		}
	}
	body := notemark.Append(req.Body, req.IdempotencyKey)
	var record map[string]any
	if c.cfg.NoteObject == NoteTask {
		record = map[string]any{
			"WhatId":      req.CaseID,
			"Subject":     taskSubject(req.Body),
			"Description": body,
			"Status":      "Completed",
		}
	} else {
		record = map[string]any{"ParentId": req.CaseID, "CommentBody": body, "IsPublished": req.Public}
	}
	var res upsertResult
	err := c.do(ctx, op, http.MethodPost, "/sobjects/"+c.cfg.NoteObject, nil, record, &res)
	if apiErr, ok := err.(*APIError); ok && apiErr.Has("INVALID_CROSS_REFERENCE_KEY") {
		// The parent case does not exist (or this user cannot see it).
		return fmt.Errorf("%w: %w", apiErr, plugin.ErrNotFound)
	}
	return err
}

// hasNote reports whether the case already has a note carrying the key.
func (c *Client) hasNote(ctx context.Context, op, caseID, key string) (bool, error) {
	soql := "SELECT Id, CommentBody FROM CaseComment WHERE ParentId = " + quote(caseID)
	bodyField := "CommentBody"
	if c.cfg.NoteObject == NoteTask {
		soql = "SELECT Id, Description FROM Task WHERE WhatId = " + quote(caseID)
		bodyField = "Description"
	}
	records, err := c.query(ctx, op, soql)
	if err != nil {
		return false, err
	}
	for _, raw := range records {
		var rec map[string]any
		if json.Unmarshal(raw, &rec) == nil && notemark.Has(str(rec, bodyField), key) {
			return true, nil
		}
	}
	return false, nil
}

// GetCase returns the case; plugin.ErrNotFound when there is none.
func (c *Client) GetCase(ctx context.Context, caseID string) (plugin.Case, error) {
	if err := checkID(caseID); err != nil {
		return plugin.Case{}, err
	}
	return c.getCase(ctx, "get case "+caseID, "/sobjects/Case/"+caseID)
}

func (c *Client) getCase(ctx context.Context, op, path string) (plugin.Case, error) {
	resp, err := c.call(ctx, http.MethodGet, path, nil, nil)
	if err != nil {
		return plugin.Case{}, err
	}
	if resp.Status == http.StatusMultipleChoices {
		// The external id is on more than one case, which the field's Unique flag prevents; say
		// so rather than pick one. The body lists the cases' URLs.
		return plugin.Case{}, fmt.Errorf("salesforce: %s: the external id is on several cases (mark %s Unique): %s", op, c.cfg.ExternalIDField, resp.Snippet())
	}
	if resp.Status != http.StatusOK {
		return plugin.Case{}, newAPIError(op, resp)
	}
	cs, err := decodeCase(resp.Body, c.cfg, c.instanceURL(ctx))
	if err != nil {
		return plugin.Case{}, fmt.Errorf("salesforce: %s: %w", op, err)
	}
	if cs.Queue != "" {
		if cs.Queue, err = c.queueName(ctx, cs.Queue); err != nil {
			return plugin.Case{}, err
		}
	}
	return cs, nil
}

func (c *Client) patchCase(ctx context.Context, op, caseID string, fields map[string]any) error {
	return c.do(ctx, op, http.MethodPatch, "/sobjects/Case/"+caseID, nil, fields, nil)
}

// checkID rejects what cannot be a record id (15 or 18 letters and digits) before it is put in
// a URL path or a query.
func checkID(id string) error {
	if len(id) != 15 && len(id) != 18 {
		return fmt.Errorf("salesforce: %q is not a Salesforce record id: %w", id, plugin.ErrNotFound)
	}
	for _, r := range id {
		if !('a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9') {
			return fmt.Errorf("salesforce: %q is not a Salesforce record id: %w", id, plugin.ErrNotFound)
		}
	}
	return nil
}

// taskSubject is the note's first line, cut to the 255 characters a Task's Subject holds.
func taskSubject(body string) string {
	line, _, _ := strings.Cut(body, "\n")
	s := "frontdesk: " + line
	if r := []rune(s); len(r) > 255 {
		s = string(r[:252]) + "..."
	}
	return s
}

// ownerLookup caches an owner name resolved to an id.
func (c *Client) ownerLookup(key string) (string, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	id, ok := c.owners[key]
	return id, ok
}

func (c *Client) ownerStore(key, id string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.owners[key] = id
}

// queueID resolves a queue name to its Group id.
func (c *Client) queueID(ctx context.Context, name string) (string, error) {
	if mapped, ok := c.cfg.Queues[name]; ok {
		name = mapped
	}
	if strings.HasPrefix(name, prefixQueue) && checkID(name) == nil {
		return name, nil
	}
	return c.resolve(ctx, "queue:"+name, "find queue "+name,
		"SELECT Id FROM Group WHERE Type = 'Queue' AND DeveloperName = "+quote(name)+" LIMIT 1")
}

// queueName names a queue owning a case as policies know it: the name Config.Queues maps to it,
// else its DeveloperName. Policies compare the names they assign with what GetCase says.
func (c *Client) queueName(ctx context.Context, id string) (string, error) {
	name, ok := c.ownerLookup("queue-id:" + id)
	if !ok {
		records, err := c.query(ctx, "name queue "+id, "SELECT DeveloperName FROM Group WHERE Id = "+quote(id))
		if err != nil {
			return "", err
		}
		var rec map[string]any
		if len(records) > 0 && json.Unmarshal(records[0], &rec) == nil {
			name = str(rec, "DeveloperName")
		}
		if name == "" {
			name = id // a queue this user cannot see: its id is all there is
		}
		c.ownerStore("queue-id:"+id, name)
	}
	for policyName, mapped := range c.cfg.Queues {
		if mapped == name || mapped == id {
			return policyName, nil
		}
	}
	return name, nil
}

// userID resolves an agent, given as a User id or a username, to a User id.
func (c *Client) userID(ctx context.Context, agent string) (string, error) {
	if strings.HasPrefix(agent, prefixUser) && checkID(agent) == nil {
		return agent, nil
	}
	if !strings.Contains(agent, "@") {
		return "", fmt.Errorf("salesforce: agent %q is neither a User id nor a username", agent)
	}
	return c.resolve(ctx, "user:"+agent, "find user "+agent,
		"SELECT Id FROM User WHERE Username = "+quote(agent)+" AND IsActive = true LIMIT 1")
}

func (c *Client) resolve(ctx context.Context, key, op, soql string) (string, error) {
	if id, ok := c.ownerLookup(key); ok {
		return id, nil
	}
	records, err := c.query(ctx, op, soql)
	if err != nil {
		return "", err
	}
	if len(records) == 0 {
		return "", fmt.Errorf("salesforce: %s: none found: %w", op, plugin.ErrNotFound)
	}
	var rec map[string]any
	if err := json.Unmarshal(records[0], &rec); err != nil || str(rec, "Id") == "" {
		return "", fmt.Errorf("salesforce: %s: malformed record %s", op, strconv.Quote(string(records[0])))
	}
	id := str(rec, "Id")
	c.ownerStore(key, id)
	return id, nil
}
