package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"sort"
	"strings"

	"github.com/spf13/cobra"

	"github.com/frontdeskhq/frontdesk/core/hydrate"
	"github.com/frontdeskhq/frontdesk/core/message"
	"github.com/frontdeskhq/frontdesk/core/policy"
	"github.com/frontdeskhq/frontdesk/core/policy/policytest"
)

func newPolicyRunCmd() *cobra.Command {
	var caseName, manifest string
	var msg message.Message
	cmd := &cobra.Command{
		Use:   "run FILE",
		Short: "Simulate a policy in the terminal: it asks, you answer",
		Long: `Run walks a policy as a customer would meet it. Actions are printed, not performed, and
succeed. Hydrations come from a test case (--case, from NAME.test.yaml beside the policy), or
fail, taking the policy's error paths.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			file := args[0]
			set, err := policy.LoadDir(filepath.Dir(file), policy.Env{})
			if err != nil {
				return err
			}
			c, err := policyAt(set, file)
			if err != nil {
				return err
			}
			var tc policytest.Case
			if caseName != "" {
				if tc, err = findCase(file, caseName); err != nil {
					return err
				}
				msg = mergeMessage(tc.Message, msg)
			}
			if msg.Channel == "" {
				msg.Channel = message.ChannelAPI
			}
			executors, closeExecutors, err := loadExecutors(cmd.Context(), manifest)
			if err != nil {
				return err
			}
			defer closeExecutors()
			sim := &simulation{out: cmd.OutOrStdout(), in: bufio.NewReader(cmd.InOrStdin()), tc: tc}
			return sim.run(cmd.Context(), set, c, msg, executors)
		},
	}
	cmd.Flags().StringVar(&caseName, "case", "", "take the message and hydrations from this test case")
	cmd.Flags().StringVar(&manifest, "executors", "", "executor manifest for the policy's executor nodes")
	cmd.Flags().StringVar(&msg.Text, "text", "", "the customer's first message")
	cmd.Flags().StringVar(&msg.Channel, "channel", "", "channel to simulate (api, webchat, genesys, ...)")
	cmd.Flags().StringVar(&msg.Contact.CustomerID, "customer-id", "", "the contact's customer id")
	cmd.Flags().StringVar(&msg.Contact.Email, "email", "", "the contact's email")
	cmd.Flags().StringVar(&msg.Contact.Phone, "phone", "", "the contact's phone")
	return cmd
}

// policyAt returns the policy of the set read from file.
func policyAt(set *policy.Set, file string) (*policy.Compiled, error) {
	want, _ := filepath.Abs(file)
	for _, name := range set.Names() {
		c, _ := set.Policy(name, 0)
		if got, _ := filepath.Abs(c.Source.Path); got == want {
			return c, nil
		}
	}
	return nil, fmt.Errorf("%s: not a policy file", file)
}

func findCase(file, name string) (policytest.Case, error) {
	ext := filepath.Ext(file)
	tests := strings.TrimSuffix(file, ext) + ".test" + ext
	f, err := policytest.ReadFile(tests)
	if err != nil {
		return policytest.Case{}, err
	}
	var names []string
	for _, c := range f.Cases {
		if c.Name == name {
			return c, nil
		}
		names = append(names, c.Name)
	}
	return policytest.Case{}, fmt.Errorf("%s: no case %q (have: %s)", tests, name, strings.Join(names, "; "))
}

// mergeMessage lets flags override the test case's message.
func mergeMessage(base, flags message.Message) message.Message {
	if flags.Text != "" {
		base.Text = flags.Text
	}
	if flags.Channel != "" {
		base.Channel = flags.Channel
	}
	for _, f := range []struct {
		d *string
		s string
	}{
		{&base.Contact.CustomerID, flags.Contact.CustomerID}, {&base.Contact.Email, flags.Contact.Email}, {&base.Contact.Phone, flags.Contact.Phone},
	} {
		if f.s != "" {
			*f.d = f.s
		}
	}
	return base
}

type simulation struct {
	out io.Writer
	in  *bufio.Reader
	tc  policytest.Case
}

func (s *simulation) run(ctx context.Context, set *policy.Set, c *policy.Compiled, msg message.Message, executors policy.Executors) error {
	actions := policy.Actions{}
	for _, name := range set.ActionNames() {
		name := name
		actions[name] = func(_ context.Context, call policy.ActionCall) (policy.ActionResult, error) {
			fmt.Fprintf(s.out, "  → action %s %s\n", name, formatArgs(call.Args))
			fx := s.tc.Actions[name]
			if fx.Error != "" {
				return policy.ActionResult{}, errors.New(fx.Error)
			}
			return policy.ActionResult{Output: fx.Output, Vars: fx.Vars}, nil
		}
	}
	fixtures := map[string]hydrate.Fixture{}
	for k, v := range s.tc.Hydrations {
		fixtures[k] = hydrate.Fixture{Value: v}
	}
	for k, v := range s.tc.HydrationErrors {
		fixtures[k] = hydrate.Fixture{Err: v}
	}
	e := &policy.Engine{Actions: actions, Executors: executors, Library: set}
	fmt.Fprintf(s.out, "policy %s — %s\n", c.Policy.Name, c.Policy.Description)
	step, st := e.Run(ctx, c, policy.Start{Message: msg, RunID: "sim", Fixtures: fixtures})
	for {
		for _, say := range step.Says {
			fmt.Fprintf(s.out, "bot: %s\n", say)
		}
		switch step.Status {
		case policy.Done:
			csat := ""
			if step.End.CSAT {
				csat = " (asks for a satisfaction rating)"
			}
			fmt.Fprintf(s.out, "ended: %s%s\npath: %s\n", step.End.Resolution, csat, strings.Join(step.Path, " -> "))
			return nil
		case policy.Failed:
			fmt.Fprintf(s.out, "path: %s\n", strings.Join(step.Path, " -> "))
			return step.Err
		}
		answer, err := s.ask(step.Node, step.Ask)
		if err != nil {
			return err
		}
		step, st = e.Resume(ctx, st, policy.Turn{Message: answer, Fixtures: fixtures})
	}
}

// ask shows a question and reads the answer from the terminal.
func (s *simulation) ask(node string, a *policy.Ask) (message.Message, error) {
	if a.Error != "" {
		fmt.Fprintf(s.out, "bot: (%s)\n", a.Error)
	}
	fmt.Fprintf(s.out, "bot [%s]: %s\n", node, a.Text)
	if len(a.Form) > 0 {
		input := map[string]any{}
		for _, f := range a.Form {
			label := f.Label
			if label == "" {
				label = f.Name
			}
			line, err := s.line(fmt.Sprintf("  %s: ", label))
			if err != nil {
				return message.Message{}, err
			}
			input[f.Name] = line
		}
		return message.Message{Input: input}, nil
	}
	for i, ch := range a.Choices {
		label := ch.Label
		if label == "" {
			label = ch.Value
		}
		fmt.Fprintf(s.out, "  %d) %s\n", i+1, label)
	}
	line, err := s.line("you: ")
	if err != nil {
		return message.Message{}, err
	}
	return message.Message{Text: line}, nil
}

func (s *simulation) line(prompt string) (string, error) {
	fmt.Fprint(s.out, prompt)
	line, err := s.in.ReadString('\n')
	if err != nil && (line == "" || !errors.Is(err, io.EOF)) {
		if errors.Is(err, io.EOF) {
			return "", errors.New("input ended before the policy did")
		}
		return "", err
	}
	return strings.TrimSpace(line), nil
}

func formatArgs(args map[string]any) string {
	keys := make([]string, 0, len(args))
	for k := range args {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s=%v", k, args[k])
	}
	return "{" + strings.Join(parts, ", ") + "}"
}
