package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/frontdeskhq/frontdesk/core/lifecycle"
	"github.com/frontdeskhq/frontdesk/core/policy"
)

// studioClient calls the Studio API of a running frontdesk.
type studioClient struct {
	base string
	key  string
	http *http.Client
}

// studioFlags adds --url and --key, defaulting to $FRONTDESK_URL and $FRONTDESK_API_KEY.
func studioFlags(cmd *cobra.Command) *studioClient {
	c := &studioClient{http: &http.Client{Timeout: 30 * time.Second}}
	base := os.Getenv("FRONTDESK_URL")
	if base == "" {
		base = "http://127.0.0.1:8080"
	}
	cmd.Flags().StringVar(&c.base, "url", base, "frontdesk's address ($FRONTDESK_URL)")
	cmd.Flags().StringVar(&c.key, "key", os.Getenv("FRONTDESK_API_KEY"), "API key with the role the command needs ($FRONTDESK_API_KEY)")
	return c
}

// apiError is an error answer of the Studio API.
type apiError struct {
	Status int
	Code   string
	Msg    string
	// Gate is the promotion gate's verdict on a refusal.
	Gate *lifecycle.Verdict
}

func (e *apiError) Error() string { return fmt.Sprintf("%s (HTTP %d): %s", e.Code, e.Status, e.Msg) }

// call sends body as JSON and decodes the answer into out (when not nil).
func (c *studioClient) call(ctx context.Context, method, path string, body, out any) error {
	if c.key == "" {
		return errors.New("no API key: pass --key or set FRONTDESK_API_KEY (the admin token works too)")
	}
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return err
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, strings.TrimSuffix(c.base, "/")+path, rd)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+c.key)
	req.Header.Set("Content-Type", "application/json")
	resp, err := c.http.Do(req)
	if err != nil {
		return fmt.Errorf("frontdesk at %s: %w", c.base, err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(io.LimitReader(resp.Body, 16<<20))
	if err != nil {
		return err
	}
	if resp.StatusCode >= 300 {
		var e struct {
			Error    struct{ Code, Message string }
			Problems []struct {
				Line, Column  int
				Node, Message string
			}
			Gate *lifecycle.Verdict
		}
		if json.Unmarshal(data, &e) != nil || e.Error.Code == "" {
			return &apiError{Status: resp.StatusCode, Code: "http", Msg: strings.TrimSpace(string(data))}
		}
		msg := e.Error.Message
		for _, p := range e.Problems {
			msg += fmt.Sprintf("\n  line %d, column %d: %s%s", p.Line, p.Column, nodePrefix(p.Node), p.Message)
		}
		return &apiError{Status: resp.StatusCode, Code: e.Error.Code, Msg: msg, Gate: e.Gate}
	}
	if out != nil && len(data) > 0 {
		return json.Unmarshal(data, out)
	}
	return nil
}

func nodePrefix(node string) string {
	if node == "" {
		return ""
	}
	return "node " + node + ": "
}

func policyPath(name string, rest ...string) string {
	return "/v1/studio/policies/" + url.PathEscape(name) + strings.Join(rest, "")
}

// studioVersion is what the commands read of a version.
type studioVersion struct {
	Version int    `json:"version"`
	State   string `json:"state"`
	Body    string `json:"body"`
}

func newPolicyPushCmd() *cobra.Command {
	var noTests bool
	cmd := &cobra.Command{
		Use:   "push FILE",
		Short: "Create or update a draft of the policy in FILE through the Studio API, with its test cases",
		Long: `Push checks the policy locally, then stores it as a draft in a running frontdesk: the newest
version when that is a draft, else a new version. The test cases of NAME.test.yaml beside it are
saved too (--no-tests skips them). Needs an author key.`,
		Args: cobra.ExactArgs(1),
		RunE: nil,
	}
	client := studioFlags(cmd)
	cmd.Flags().BoolVar(&noTests, "no-tests", false, "do not push the test cases beside the policy")
	cmd.RunE = func(cmd *cobra.Command, args []string) error {
		file := args[0]
		p, src, err := policy.ReadFile(file)
		if err != nil {
			return err
		}
		if _, err := policy.Compile(p, src, policy.Env{}); err != nil {
			return err
		}
		msg, err := pushPolicy(cmd.Context(), client, p.Name, string(src.Data))
		if err != nil {
			return err
		}
		fmt.Fprintln(cmd.OutOrStdout(), msg)
		if noTests {
			return nil
		}
		n, err := pushTests(cmd.Context(), client, file)
		if err != nil {
			return err
		}
		if n > 0 {
			fmt.Fprintf(cmd.OutOrStdout(), "%s: %d test cases saved\n", p.Name, n)
		}
		return nil
	}
	return cmd
}

// pushPolicy stores body as the policy's draft and says what it did.
func pushPolicy(ctx context.Context, c *studioClient, name, body string) (string, error) {
	var pol struct {
		Versions []studioVersion `json:"versions"`
	}
	err := c.call(ctx, "GET", policyPath(name), nil, &pol)
	var ae *apiError
	if errors.As(err, &ae) && ae.Status == http.StatusNotFound {
		var created struct {
			Latest int `json:"latest"`
		}
		if err := c.call(ctx, "POST", "/v1/studio/policies", map[string]string{"name": name, "body": body}, &created); err != nil {
			return "", err
		}
		return fmt.Sprintf("%s: new policy, draft version %d created", name, created.Latest), nil
	}
	if err != nil {
		return "", err
	}
	if n := len(pol.Versions); n > 0 && pol.Versions[n-1].State == "draft" {
		latest := pol.Versions[n-1].Version
		var cur studioVersion
		if err := c.call(ctx, "GET", policyPath(name, "/versions/", fmt.Sprint(latest)), nil, &cur); err != nil {
			return "", err
		}
		if cur.Body == body {
			return fmt.Sprintf("%s: draft version %d is already this file", name, latest), nil
		}
		if err := c.call(ctx, "PUT", policyPath(name, "/versions/", fmt.Sprint(latest)), map[string]string{"body": body}, nil); err != nil {
			return "", err
		}
		return fmt.Sprintf("%s: draft version %d updated", name, latest), nil
	}
	var v studioVersion
	if err := c.call(ctx, "POST", policyPath(name, "/versions"), map[string]string{"body": body}, &v); err != nil {
		return "", err
	}
	return fmt.Sprintf("%s: draft version %d created", name, v.Version), nil
}

// pushTests saves the cases of the test file beside the policy, if there is one.
func pushTests(ctx context.Context, c *studioClient, file string) (int, error) {
	ext := filepath.Ext(file)
	path := strings.TrimSuffix(file, ext) + ".test" + ext
	data, err := os.ReadFile(path)
	if os.IsNotExist(err) {
		return 0, nil
	}
	if err != nil {
		return 0, err
	}
	name, bodies, err := lifecycle.CaseBodies(data)
	if err != nil {
		return 0, fmt.Errorf("%s: %w", path, err)
	}
	cases := make([]string, 0, len(bodies))
	for n := range bodies {
		cases = append(cases, n)
	}
	sort.Strings(cases)
	for _, n := range cases {
		if err := c.call(ctx, "PUT", policyPath(name, "/tests/", url.PathEscape(n)), json.RawMessage(bodies[n]), nil); err != nil {
			return 0, fmt.Errorf("%s: case %q: %w", path, n, err)
		}
	}
	return len(cases), nil
}

// nextStep is the lifecycle move promote makes from each state, and what it is called.
var nextStep = map[string]struct{ path, done string }{
	"draft":  {"/shadow", "in shadow: live traffic now runs it beside the Live version"},
	"shadow": {"/promote", "final: the gate allowed it"},
	"final":  {"/deploy", "live"},
}

func newPolicyPromoteCmd() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "promote NAME VERSION",
		Short: "Move a version one step on: draft -> shadow -> final (through the gate) -> live",
		Long: `Promote moves a version to its next state. Shadow -> Final passes the promotion gate; a
refusal prints the gate's reasons and exits with status 1. Draft -> Shadow needs an author key,
the others a publisher key.`,
		Args: cobra.ExactArgs(2),
	}
	client := studioFlags(cmd)
	cmd.RunE = func(cmd *cobra.Command, args []string) error {
		name, version := args[0], args[1]
		var v studioVersion
		if err := client.call(cmd.Context(), "GET", policyPath(name, "/versions/", url.PathEscape(version)), nil, &v); err != nil {
			return err
		}
		step, ok := nextStep[v.State]
		if !ok {
			return fmt.Errorf("%s version %d is %s: nothing to promote it to (roll back to an earlier version with `policy rollback`)", name, v.Version, v.State)
		}
		err := client.call(cmd.Context(), "POST", policyPath(name, "/versions/", fmt.Sprint(v.Version), step.path), struct{}{}, nil)
		var ae *apiError
		if errors.As(err, &ae) && ae.Gate != nil {
			fmt.Fprintf(cmd.ErrOrStderr(), "%s version %d stays in shadow; the gate says:\n", name, v.Version)
			for _, r := range ae.Gate.Reasons {
				fmt.Fprintf(cmd.ErrOrStderr(), "  - %s\n", r)
			}
			return exitError{code: 1}
		}
		if err != nil {
			return err
		}
		fmt.Fprintf(cmd.OutOrStdout(), "%s version %d is %s\n", name, v.Version, step.done)
		return nil
	}
	return cmd
}

func newPolicyRollbackCmd() *cobra.Command {
	var to int
	cmd := &cobra.Command{
		Use:   "rollback NAME",
		Short: "Make an earlier Final version Live again (the newest one older than Live, or --to)",
		Args:  cobra.ExactArgs(1),
	}
	client := studioFlags(cmd)
	cmd.Flags().IntVar(&to, "to", 0, "the Final version to make Live")
	cmd.RunE = func(cmd *cobra.Command, args []string) error {
		var out struct{ Live, Previous int }
		body := map[string]int{}
		if to > 0 {
			body["to"] = to
		}
		if err := client.call(cmd.Context(), "POST", policyPath(args[0], "/rollback"), body, &out); err != nil {
			return err
		}
		fmt.Fprintf(cmd.OutOrStdout(), "%s: version %d is Live again (version %d is Final)\n", args[0], out.Live, out.Previous)
		return nil
	}
	return cmd
}
