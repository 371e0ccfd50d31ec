package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/frontdeskhq/frontdesk/cmd/frontdesk/internal/config"
	"github.com/frontdeskhq/frontdesk/core/policy"
	"github.com/frontdeskhq/frontdesk/core/policy/policytest"
)

func newPolicyCmd() *cobra.Command {
	cmd := &cobra.Command{Use: "policy", Short: "Validate, test, simulate and draw policies; push, promote and roll back versions"}
	cmd.AddCommand(newPolicyValidateCmd(), newPolicyTestCmd(), newPolicyRunCmd(), newPolicyGraphCmd(),
		newPolicyPushCmd(), newPolicyPromoteCmd(), newPolicyRollbackCmd())
	return cmd
}

// loadPolicies compiles the policies at path (a file or a folder) without a deployment's
// plugins and executors: structure, targets, expressions and references between policies.
func loadPolicies(path string) (*policy.Set, error) {
	info, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if info.IsDir() {
		return policy.LoadDir(path, policy.Env{})
	}
	return policy.LoadFiles([]string{path}, policy.Env{})
}

func newPolicyValidateCmd() *cobra.Command {
	return &cobra.Command{
		Use:   "validate PATH...",
		Short: "Check policy files or folders; every problem is listed with file, line and column",
		Args:  cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			var errs []error
			total := 0
			for _, path := range args {
				set, err := loadPolicies(path)
				if err != nil {
					errs = append(errs, err)
					continue
				}
				total += len(set.Names())
			}
			if len(errs) > 0 {
				return errors.Join(errs...)
			}
			fmt.Fprintf(cmd.OutOrStdout(), "ok: %d policies valid\n", total)
			return nil
		},
	}
}

// loadExecutors compiles the executors of a manifest for the policy commands; nil without one.
func loadExecutors(ctx context.Context, manifest string) (policy.Executors, func(), error) {
	if manifest == "" {
		return nil, func() {}, nil
	}
	h, err := startExecutors(ctx, config.Executors{Manifest: manifest}, slog.New(slog.DiscardHandler))
	if err != nil {
		return nil, nil, err
	}
	return h, func() { h.Close(context.Background()) }, nil
}

func newPolicyTestCmd() *cobra.Command {
	var verbose bool
	var manifest string
	cmd := &cobra.Command{
		Use:   "test PATH",
		Short: "Run policies' test cases (NAME.test.yaml beside NAME.yaml), like go test",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			executors, closeExecutors, err := loadExecutors(cmd.Context(), manifest)
			if err != nil {
				return err
			}
			defer closeExecutors()
			set, files, err := policytest.Load(args[0], policy.Env{})
			if err != nil {
				return err
			}
			r := &policytest.Runner{Library: set, Executors: executors}
			var results []policytest.Result
			for _, f := range files {
				results = append(results, r.Run(cmd.Context(), f)...)
			}
			if policytest.Print(cmd.OutOrStdout(), results, policytest.Covered(set, results), verbose) > 0 {
				return exitError{code: 1}
			}
			return nil
		},
	}
	cmd.Flags().BoolVarP(&verbose, "verbose", "v", false, "list passing cases too")
	cmd.Flags().StringVar(&manifest, "executors", "", "executor manifest (make wasm writes build/wasm/executors.yaml); cases without an executor fixture run these")
	return cmd
}

func newPolicyGraphCmd() *cobra.Command {
	var format, out string
	cmd := &cobra.Command{
		Use:   "graph FILE",
		Short: "Draw a policy as Mermaid or DOT; with --out x.svg or x.png, render it with Graphviz",
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			set, err := loadPolicies(args[0])
			if err != nil {
				return err
			}
			if len(set.Names()) != 1 {
				return fmt.Errorf("%s: name one policy file, not a folder", args[0])
			}
			c, _ := set.Policy(set.Names()[0], 0)
			ext := strings.ToLower(filepath.Ext(out))
			if ext == ".svg" || ext == ".png" {
				return renderGraph(c, out, ext[1:])
			}
			var b bytes.Buffer
			switch format {
			case "mermaid":
				err = c.WriteMermaid(&b, nil)
			case "dot":
				err = c.WriteDOT(&b, nil)
			default:
				return fmt.Errorf("--format %q: want mermaid or dot", format)
			}
			if err != nil {
				return err
			}
			if out == "" {
				_, err = cmd.OutOrStdout().Write(b.Bytes())
				return err
			}
			return os.WriteFile(out, b.Bytes(), 0o644)
		},
	}
	cmd.Flags().StringVar(&format, "format", "mermaid", "mermaid or dot")
	cmd.Flags().StringVarP(&out, "out", "o", "", "write to this file; .svg and .png are rendered with Graphviz dot")
	return cmd
}

// renderGraph draws the policy with Graphviz.
func renderGraph(c *policy.Compiled, out, format string) error {
	dot, err := exec.LookPath("dot")
	if err != nil {
		return errors.New("rendering SVG or PNG needs Graphviz: apt-get install graphviz (or use --format dot and render elsewhere)")
	}
	var src bytes.Buffer
	if err := c.WriteDOT(&src, nil); err != nil {
		return err
	}
	run := exec.CommandContext(context.Background(), dot, "-T"+format, "-o", out)
	run.Stdin = &src
	if msg, err := run.CombinedOutput(); err != nil {
		return fmt.Errorf("dot: %v: %s", err, msg)
	}
	return nil
}
