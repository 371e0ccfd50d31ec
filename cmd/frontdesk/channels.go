package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"log/slog"
	"os"

	"github.com/tetratelabs/wazero"

	"github.com/frontdeskhq/frontdesk/channels/admin"
	"github.com/frontdeskhq/frontdesk/channels/api"
	"github.com/frontdeskhq/frontdesk/cmd/frontdesk/internal/config"
	"github.com/frontdeskhq/frontdesk/core/auth"
	"github.com/frontdeskhq/frontdesk/core/session"
	"github.com/frontdeskhq/frontdesk/wasm"
)

// mountChannels mounts every channel on the one HTTP server and starts the channels that
// poll (mailboxes). Each channel's wiring lives in its own file, channel_NAME.go.
func (g *gateway) mountChannels(ctx context.Context) error {
	for _, mount := range []func(context.Context) error{
		g.mountAPI,
		g.mountAdmin,
		g.mountAgent,
		g.mountStudioUI,
		g.mountStudio,
		g.mountInapp,
		g.mountWebchat,
		g.mountEmail,
		g.mountGenesys,
		g.mountTwilio,
		g.mountDialogflow,
	} {
		if err := mount(ctx); err != nil {
			return err
		}
	}
	return nil
}

func (g *gateway) mountAPI(context.Context) error {
	api.New(g.handle, g.cfg.API.Token).Mount(g.server)
	return nil
}

func (g *gateway) mountAdmin(context.Context) error {
	admin.Mount(g.server, g.adminConfig())
	return nil
}

// adminConfig gives the admin API the operations it offers.
func (g *gateway) adminConfig() admin.Config {
	cfg := admin.Config{Token: g.cfg.Admin.Token, Keys: g.studioKeys()}
	if g.model != nil {
		cfg.ReloadModel = g.ReloadEverywhere
	}
	// One compilation cache for the playground: a Go module compiles in about a second.
	cache := wazero.NewCompilationCache()
	g.closers = append(g.closers, func() error { return cache.Close(context.Background()) })
	cfg.RunExecutor = func(ctx context.Context, module []byte, input json.RawMessage) (any, error) {
		return wasm.RunOnce(ctx, module, input, wasm.RunOptions{Cache: cache})
	}
	return cfg
}

// newValet builds the signer of valet links from the configured keys, or from a random key
// when none is configured (development: links work on this instance until it stops).
func newValet(c config.Valet, used session.Store, log *slog.Logger) *auth.Valet {
	v := &auth.Valet{Used: used, TTL: c.TTL}
	for _, k := range c.Keys {
		v.Keys = append(v.Keys, []byte(k))
	}
	if len(v.Keys) == 0 {
		key := make([]byte, 32)
		_, _ = rand.Read(key)
		v.Keys = [][]byte{key}
		log.Warn("valet.keys is not set: links are signed with a random key and stop working when this process stops")
	}
	return v
}

func newInstanceID() string {
	host, _ := os.Hostname()
	var b [4]byte
	_, _ = rand.Read(b[:])
	return host + "-" + hex.EncodeToString(b[:])
}
