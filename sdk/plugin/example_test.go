package plugin_test

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/frontdeskhq/frontdesk/sdk/plugin"
)

// ticketCRM is a CRM kept in memory: cases by id, found again by external id.
type ticketCRM struct {
	mu    sync.Mutex
	cases map[string]plugin.Case
	byExt map[string]string
}

func newTicketCRM() *ticketCRM {
	return &ticketCRM{cases: map[string]plugin.Case{}, byExt: map[string]string{}}
}

func (c *ticketCRM) EnsureCase(_ context.Context, req plugin.CaseRequest) (plugin.Case, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if id, ok := c.byExt[req.ExternalID]; ok {
		return c.cases[id], nil
	}
	cs := plugin.Case{ID: fmt.Sprintf("T-%d", len(c.cases)+1), ExternalID: req.ExternalID, Subject: req.Subject, Status: "new"}
	c.cases[cs.ID], c.byExt[req.ExternalID] = cs, cs.ID
	return cs, nil
}

func (c *ticketCRM) change(id string, f func(*plugin.Case)) (plugin.Case, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	cs, ok := c.cases[id]
	if !ok {
		return plugin.Case{}, fmt.Errorf("ticket %s: %w", id, plugin.ErrNotFound)
	}
	f(&cs)
	c.cases[id] = cs
	return cs, nil
}

func (c *ticketCRM) UpdateCase(_ context.Context, u plugin.CaseUpdate) (plugin.Case, error) {
	return c.change(u.CaseID, func(cs *plugin.Case) {
		if u.Intent != "" {
			cs.Intent, cs.Confidence = u.Intent, u.Confidence
		}
	})
}

func (c *ticketCRM) AddNote(_ context.Context, n plugin.Note) error {
	_, err := c.change(n.CaseID, func(*plugin.Case) {})
	return err
}

func (c *ticketCRM) AssignCase(_ context.Context, a plugin.Assignment) (plugin.Case, error) {
	return c.change(a.CaseID, func(cs *plugin.Case) { cs.Queue, cs.Agent = a.Queue, a.Agent })
}

func (c *ticketCRM) GetCase(_ context.Context, id string) (plugin.Case, error) {
	return c.change(id, func(*plugin.Case) {})
}

// A plugin's main serves its implementations and never returns. frontdesk starts the binary
// and talks to it over gRPC.
func ExampleServe() {
	plugin.Serve(plugin.Services{CRM: newTicketCRM()})
}

// InProcess serves a plugin inside a test over the real protocol: errors come back as the
// package's sentinel errors, as they would from a plugin process.
func ExampleInProcess() {
	client, err := plugin.InProcess(plugin.Services{CRM: newTicketCRM()})
	if err != nil {
		panic(err)
	}
	defer client.Close()
	ctx := context.Background()

	first, _ := client.EnsureCase(ctx, plugin.CaseRequest{ExternalID: "msg-42@example.com", Subject: "Moving house"})
	again, _ := client.EnsureCase(ctx, plugin.CaseRequest{ExternalID: "msg-42@example.com"})
	assigned, _ := client.AssignCase(ctx, plugin.Assignment{CaseID: first.ID, Queue: "data-change-approvals"})
	_, err = client.GetCase(ctx, "T-99")

	fmt.Println(first.ID, again.ID, assigned.Queue)
	fmt.Println(errors.Is(err, plugin.ErrNotFound), err)
	// Output:
	// T-1 T-1 data-change-approvals
	// true ticket T-99: plugin: not found
}

// Info tells which services a plugin serves; calls to the others fail with ErrUnimplemented.
func ExampleClient_Info() {
	client, err := plugin.InProcess(plugin.Services{CRM: newTicketCRM()})
	if err != nil {
		panic(err)
	}
	defer client.Close()
	info, _ := client.Info(context.Background())
	_, err = client.SendSMS(context.Background(), plugin.SMS{To: "+447700900101", Body: "hi"})
	fmt.Println(info.Services, info.Serves(plugin.ServiceMessaging), errors.Is(err, plugin.ErrUnimplemented))
	// Output: [CRM] false true
}
