package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/frontdeskhq/frontdesk/cmd/frontdesk/internal/config"
)

// shutdownGrace is how long requests in flight may take to finish at shutdown.
const shutdownGrace = 15 * time.Second

func newServeCmd() *cobra.Command {
	var cfgPath, listen string
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Serve the channels: run policies for incoming messages",
		Long: `Serve starts the plugins, compiles the executors and policies, loads the intent model and
serves every HTTP channel on one address. SIGHUP reloads the intent model; SIGINT or SIGTERM
make /healthz fail, wait limits.drain_delay for the load balancer to notice, stop taking
requests, finish those in flight (at most 15 s) and exit.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, err := config.Load(cfgPath)
			if err != nil {
				return err
			}
			if listen != "" {
				cfg.Listen = listen
			}
			log := newLogger(cfg.Log, cmd.ErrOrStderr())
			ctx, stop := signal.NotifyContext(cmd.Context(), os.Interrupt, syscall.SIGTERM)
			defer stop()
			g, err := buildGateway(ctx, cfg, log)
			if err != nil {
				return err
			}
			defer g.Close()
			ln, err := net.Listen("tcp", cfg.Listen)
			if err != nil {
				return fmt.Errorf("listen on %s: %w", cfg.Listen, err)
			}
			log.Info("serving", "addr", ln.Addr().String())
			fmt.Fprintf(cmd.OutOrStdout(), "frontdesk serving on http://%s\n", ln.Addr())
			served := make(chan error, 1)
			go func() { served <- g.server.Serve(ln) }()
			hup := make(chan os.Signal, 1)
			signal.Notify(hup, syscall.SIGHUP)
			defer signal.Stop(hup)
			for {
				select {
				case err := <-served:
					return err
				case <-hup:
					if err := g.Reload(); err != nil {
						log.Error("reload failed; the current model keeps serving", "err", err)
					} else {
						log.Info("intent model reloaded")
					}
				case <-ctx.Done():
					// Fail readiness first and give the load balancer time to notice, then stop
					// accepting connections and finish the requests in flight.
					g.draining.Store(true)
					log.Info("shutting down", "drain_delay", cfg.Limits.DrainDelay)
					time.Sleep(cfg.Limits.DrainDelay)
					sctx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
					defer cancel()
					if err := g.server.Shutdown(sctx); err != nil && !errors.Is(err, context.Canceled) {
						return err
					}
					return nil
				}
			}
		},
	}
	cmd.Flags().StringVar(&cfgPath, "config", "examples/config/frontdesk.yaml", "configuration file")
	cmd.Flags().StringVar(&listen, "listen", "", "address to serve on, overriding the configuration's")
	return cmd
}
