// Command frontdesk is the customer-support automation gateway: it serves the channels, runs
// policies, trains and evaluates intent models, and helps authors test policies and executors.
package main

import (
	"errors"
	"fmt"
	"os"

	"github.com/spf13/cobra"
)

func main() {
	if err := newRootCmd().Execute(); err != nil {
		var exit exitError
		if errors.As(err, &exit) {
			os.Exit(exit.code)
		}
		fmt.Fprintln(os.Stderr, "frontdesk:", err)
		os.Exit(1)
	}
}

func newRootCmd() *cobra.Command {
	root := &cobra.Command{
		Use:           "frontdesk",
		Short:         "Customer-support automation gateway",
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.AddCommand(
		newVersionCmd(),
		newExecutorCmd(),
		newServeCmd(),
		newPolicyCmd(),
		newTrainCmd(),
		newEvalCmd(),
		newClassifyCmd(),
		newLocalCmd(),
		newStateCmd(),
		newDevmailCmd(),
	)
	return root
}

// exitError ends the process with a code after the command printed its own report, as
// `policy test` does when a case fails.
type exitError struct{ code int }

func (e exitError) Error() string { return fmt.Sprintf("exit status %d", e.code) }
