// Command testplugin is a plugin that misbehaves on request, for the host's tests. The
// environment variable TESTPLUGIN_MODE picks how it starts:
//
//	(empty)     serve a CRM and a Hydrator from memory
//	badversion  answer the handshake with another protocol version
//	hangstart   never answer the handshake
//	notplugin   print a line to stdout and exit, as a binary that is no plugin would
//
// With TESTPLUGIN_FAIL_IF set to a path that exists, it exits at once, as a plugin in a crash
// loop does. Its CRM's GetCase("block") writes the file TESTPLUGIN_MARK, if set, and then blocks until the
// call's deadline, so tests can kill the process or hit the timeout mid-call.
package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"sync"

	"github.com/frontdeskhq/frontdesk/sdk/plugin"
	goplugin "github.com/hashicorp/go-plugin"
)

func main() {
	if f := os.Getenv("TESTPLUGIN_FAIL_IF"); f != "" {
		if _, err := os.Stat(f); err == nil {
			fmt.Fprintln(os.Stderr, "testplugin: failing at start, as", f, "exists")
			os.Exit(3)
		}
	}
	switch os.Getenv("TESTPLUGIN_MODE") {
	case "badversion":
		hs := plugin.Handshake
		hs.ProtocolVersion = plugin.ProtocolMajor + 98
		goplugin.Serve(&goplugin.ServeConfig{HandshakeConfig: hs, Plugins: plugin.PluginSet(), GRPCServer: goplugin.DefaultGRPCServer})
	case "hangstart":
		select {} // never answers the handshake
	case "notplugin":
		fmt.Println("hello, I am not a plugin")
		os.Exit(0)
	default:
		c := &crm{cases: map[string]plugin.Case{}}
		plugin.Serve(plugin.Services{CRM: c, Hydrator: hydrator{}})
	}
}

// crm keeps cases in memory, by external id.
type crm struct {
	mu    sync.Mutex
	cases map[string]plugin.Case
}

func (c *crm) EnsureCase(_ context.Context, req plugin.CaseRequest) (plugin.Case, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if cs, ok := c.cases[req.ExternalID]; ok {
		return cs, nil
	}
	cs := plugin.Case{ID: req.ExternalID, ExternalID: req.ExternalID, Subject: req.Subject, Status: "new"}
	c.cases[req.ExternalID] = cs
	return cs, nil
}

func (c *crm) update(id string, f func(*plugin.Case)) (plugin.Case, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	cs, ok := c.cases[id]
	if !ok {
		return plugin.Case{}, fmt.Errorf("%w: case %q", plugin.ErrNotFound, id)
	}
	f(&cs)
	c.cases[id] = cs
	return cs, nil
}

func (c *crm) UpdateCase(_ context.Context, req plugin.CaseUpdate) (plugin.Case, error) {
	return c.update(req.CaseID, func(cs *plugin.Case) { cs.Intent, cs.Confidence = req.Intent, req.Confidence })
}

func (c *crm) AddNote(_ context.Context, req plugin.Note) error {
	_, err := c.update(req.CaseID, func(*plugin.Case) {})
	return err
}

func (c *crm) AssignCase(_ context.Context, req plugin.Assignment) (plugin.Case, error) {
	return c.update(req.CaseID, func(cs *plugin.Case) { cs.Queue, cs.Agent = req.Queue, req.Agent })
}

func (c *crm) GetCase(ctx context.Context, id string) (plugin.Case, error) {
	if id == "block" {
		if mark := os.Getenv("TESTPLUGIN_MARK"); mark != "" {
			if err := os.WriteFile(mark, []byte(fmt.Sprint(os.Getpid())), 0o600); err != nil {
				return plugin.Case{}, err
			}
		}
		<-ctx.Done()
		return plugin.Case{}, ctx.Err()
	}
	return c.update(id, func(*plugin.Case) {})
}

// hydrator echoes its arguments; "log" logs first (with a logger made after Serve), "stdio" writes to
// os.Stdout and os.Stderr, "unavailable" fails as a plugin whose back end is down, "env" answers the variable args.name.
type hydrator struct{}

func (h hydrator) Fetch(_ context.Context, call string, args map[string]any) (any, error) {
	switch call {
	case "log":
		plugin.Logger(slog.LevelDebug).Warn("testplugin was asked to log", "args_count", len(args))
	case "unavailable":
		return nil, fmt.Errorf("%w: the back office behind me is down", plugin.ErrUnavailable)
	case "stdio":
		fmt.Println("raw stdout line")
		fmt.Fprintln(os.Stderr, "raw stderr line")
	case "env":
		name, _ := args["name"].(string)
		return os.Getenv(name), nil
	}
	return map[string]any{"call": call, "args": args}, nil
}
