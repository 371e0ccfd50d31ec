// Command countingplugin is a test plugin that serves a CRM and a back office and appends the
// name of every call it answers to the file COUNT_FILE names, so that a test can prove which
// calls reached a plugin process.
package main

import (
	"context"
	"fmt"
	"os"
	"sync"

	"github.com/frontdeskhq/frontdesk/sdk/plugin"
)

type counting struct {
	mu   sync.Mutex
	file *os.File
}

func (c *counting) count(call string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	fmt.Fprintln(c.file, call)
}

func (c *counting) GetCustomer(_ context.Context, id string) (plugin.Customer, error) {
	c.count("GetCustomer")
	return plugin.Customer{ID: id, Phone: "+4915112345678"}, nil
}

func (c *counting) ListChangeRequests(context.Context, string) ([]plugin.ChangeRequest, error) {
	c.count("ListChangeRequests")
	return nil, nil
}

func (c *counting) SubmitChangeRequest(_ context.Context, r plugin.ChangeRequest) (plugin.ChangeRequest, error) {
	c.count("SubmitChangeRequest")
	r.ID = "CR-1"
	return r, nil
}

func (c *counting) GetChangeRequest(_ context.Context, id string) (plugin.ChangeRequest, error) {
	c.count("GetChangeRequest")
	return plugin.ChangeRequest{ID: id}, nil
}

func (c *counting) EnsureCase(_ context.Context, r plugin.CaseRequest) (plugin.Case, error) {
	c.count("EnsureCase")
	return plugin.Case{ID: "CASE-1", ExternalID: r.ExternalID}, nil
}

func (c *counting) UpdateCase(_ context.Context, u plugin.CaseUpdate) (plugin.Case, error) {
	c.count("UpdateCase")
	return plugin.Case{ID: u.CaseID}, nil
}

func (c *counting) AddNote(context.Context, plugin.Note) error {
	c.count("AddNote")
	return nil
}

func (c *counting) AssignCase(_ context.Context, a plugin.Assignment) (plugin.Case, error) {
	c.count("AssignCase")
	return plugin.Case{ID: a.CaseID, Queue: a.Queue}, nil
}

func (c *counting) GetCase(_ context.Context, id string) (plugin.Case, error) {
	c.count("GetCase")
	return plugin.Case{ID: id}, nil
}

func main() {
	f, err := os.OpenFile(os.Getenv("COUNT_FILE"), os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o600)
	if err != nil {
		fmt.Fprintln(os.Stderr, "countingplugin:", err) // never stdout: it carries the handshake
		os.Exit(1)
	}
	c := &counting{file: f}
	plugin.Serve(plugin.Services{CRM: c, BackOffice: c})
}
