package plugins

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"os"
	"os/exec"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/frontdeskhq/frontdesk/sdk/plugin"
	goplugin "github.com/hashicorp/go-plugin"
	"google.golang.org/grpc"
)

// ErrClosed is returned by calls made after the host was closed.
var ErrClosed = errors.New("plugins: host closed")

// flowWindow is the HTTP/2 flow-control window of plugin connections, as sdk/plugin's server
// sets it.
const flowWindow = 1 << 20

// process is one running plugin process and the client speaking to it.
type process struct {
	gp      *goplugin.Client
	rpc     *plugin.Client
	pid     int
	started time.Time
}

// instance supervises one configured plugin: it keeps a process running, restarting it with
// backoff when it crashes or fails its health check, and hands the current one to calls.
type instance struct {
	cfg  Config
	log  *slog.Logger
	info plugin.Info // from the first start; the served services decide the actions
	sem  chan struct{}

	mu     sync.Mutex
	cur    *process      // nil while down
	failed *process      // taken out of service by a failed call, for the supervisor to kill
	ready  chan struct{} // closed while cur is set
	closed bool
	// restarts counts the processes started after the first.
	restarts int
	stop     chan struct{} // closed by close
	kick     chan struct{} // asks the supervisor to check now
	stopped  chan struct{} // closed when the supervisor is done
}

// launch starts one process of the plugin and checks that it speaks our protocol.
func (in *instance) launch(ctx context.Context) (*process, error) {
	cfg := in.cfg
	cmd := exec.Command(cfg.Command, cfg.Args...)
	// frontdesk's environment first, then the plugin default, then the configured values, so
	// that the configured ones win (go-plugin would append the host's after ours, which wins
	// instead).
	cmd.Env = append(os.Environ(), "GOMAXPROCS="+DefaultGOMAXPROCS)
	for _, k := range slices.Sorted(maps.Keys(cfg.Env)) {
		cmd.Env = append(cmd.Env, k+"="+cfg.Env[k])
	}
	dieWithParent(cmd)
	var secure *goplugin.SecureConfig
	if cfg.SHA256 != "" {
		sum, _ := hex.DecodeString(cfg.SHA256) // checked by validate
		secure = &goplugin.SecureConfig{Checksum: sum, Hash: sha256.New()}
	}
	gp := goplugin.NewClient(&goplugin.ClientConfig{
		HandshakeConfig:  plugin.Handshake,
		Plugins:          plugin.PluginSet(),
		Cmd:              cmd,
		SecureConfig:     secure,
		AllowedProtocols: []goplugin.Protocol{goplugin.ProtocolGRPC},
		AutoMTLS:         true,
		SkipHostEnv:      true,
		// Fixed flow-control windows turn off gRPC's bandwidth estimation, whose pings cost
		// each small call extra frames and wake-ups; plugin messages are small.
		GRPCDialOptions: []grpc.DialOption{grpc.WithInitialWindowSize(flowWindow), grpc.WithInitialConnWindowSize(flowWindow)},
		StartTimeout:    cfg.StartTimeout,
		Logger:          newHCLog(in.log),
		SyncStdout:      &lineLog{log: in.log, stream: "stdout"},
		SyncStderr:      &lineLog{log: in.log, stream: "stderr"},
	})
	proto, err := gp.Client()
	if err != nil {
		gp.Kill()
		return nil, startError(cfg, err)
	}
	raw, err := proto.Dispense(plugin.DispenseName)
	if err != nil {
		gp.Kill()
		return nil, fmt.Errorf("plugin %q: %w", cfg.Name, err)
	}
	rpc := raw.(*plugin.Client)
	ictx, cancel := context.WithTimeout(ctx, healthTimeout)
	info, err := rpc.Info(ictx)
	cancel()
	if err != nil {
		gp.Kill()
		return nil, fmt.Errorf("plugin %q: asking what it serves: %w", cfg.Name, err)
	}
	if info.ProtocolMajor != plugin.ProtocolMajor {
		gp.Kill()
		return nil, fmt.Errorf("plugin %q: speaks protocol %d.%d, frontdesk speaks %d.%d",
			cfg.Name, info.ProtocolMajor, info.ProtocolMinor, plugin.ProtocolMajor, plugin.ProtocolMinor)
	}
	if in.info.Services == nil {
		in.info = info
	} else if strings.Join(info.Services, ",") != strings.Join(in.info.Services, ",") {
		in.log.Warn("plugin now serves other services; actions keep the first start's",
			"served", info.Services, "registered", in.info.Services)
	}
	p := &process{gp: gp, rpc: rpc, started: time.Now()}
	if rc := gp.ReattachConfig(); rc != nil {
		p.pid = rc.Pid
	}
	in.log.Info("plugin started", "pid", p.pid, "protocol", fmt.Sprintf("%d.%d", info.ProtocolMajor, info.ProtocolMinor), "services", info.Services)
	return p, nil
}

// startError explains why a plugin did not start, naming the usual causes.
func startError(cfg Config, err error) error {
	msg := err.Error()
	switch {
	case strings.Contains(msg, "incompatible API version"):
		return fmt.Errorf("plugin %q (%s): protocol version mismatch, frontdesk speaks major version %d: %w",
			cfg.Name, cfg.Command, plugin.ProtocolMajor, err)
	case strings.Contains(msg, "checksum"):
		return fmt.Errorf("plugin %q (%s): the binary does not have the configured sha256: %w", cfg.Name, cfg.Command, err)
	case strings.Contains(msg, "Unrecognized remote plugin message"), strings.Contains(msg, "exited before we could connect"):
		return fmt.Errorf("plugin %q (%s): no frontdesk plugin handshake; is it built on sdk/plugin for protocol %d? %w",
			cfg.Name, cfg.Command, plugin.ProtocolMajor, err)
	}
	return fmt.Errorf("plugin %q (%s): start: %w", cfg.Name, cfg.Command, err)
}

// up makes p the current process.
func (in *instance) up(p *process) {
	in.mu.Lock()
	defer in.mu.Unlock()
	in.cur = p
	close(in.ready)
}

// down takes p out of service if it is still the current process, so that calls wait for its
// replacement instead of failing on it, and asks the supervisor to replace it.
func (in *instance) down(p *process) {
	in.mu.Lock()
	if in.cur == p && p != nil {
		in.cur, in.failed = nil, p
		in.ready = make(chan struct{})
	}
	in.mu.Unlock()
	select {
	case in.kick <- struct{}{}:
	default:
	}
}

// current waits until a process is up, ctx ends or the host closes.
func (in *instance) current(ctx context.Context) (*process, error) {
	for {
		in.mu.Lock()
		p, ready, closed := in.cur, in.ready, in.closed
		in.mu.Unlock()
		switch {
		case closed:
			return nil, ErrClosed
		case p != nil:
			return p, nil
		}
		select {
		case <-ready:
		case <-in.stop:
		case <-ctx.Done():
			return nil, fmt.Errorf("plugin %q is restarting: %w", in.cfg.Name, ctx.Err())
		}
	}
}

// supervise checks the process every HealthInterval, and when asked by a failed call, and
// replaces it when it has exited or does not answer.
func (in *instance) supervise() {
	defer close(in.stopped)
	tick := time.NewTicker(in.cfg.HealthInterval)
	defer tick.Stop()
	backoff := time.Duration(0)
	for {
		select {
		case <-in.stop:
			return
		case <-tick.C:
		case <-in.kick:
		}
		in.mu.Lock()
		p, failed := in.cur, in.failed
		in.failed = nil
		in.mu.Unlock()
		if p != nil && in.healthy(p) {
			continue
		}
		if p == nil {
			p = failed
		}
		in.down(p)
		if p != nil {
			in.log.Warn("plugin down, restarting", "pid", p.pid, "exited", p.gp.Exited())
			p.gp.Kill()
			if time.Since(p.started) > stableAfter {
				backoff = 0
			}
		}
		for {
			select {
			case <-in.stop:
				return
			case <-time.After(backoff):
			}
			backoff = min(max(2*backoff, minBackoff), maxBackoff)
			np, err := in.launch(context.Background())
			if err == nil {
				in.mu.Lock()
				in.restarts++
				in.mu.Unlock()
				in.up(np)
				break
			}
			in.log.Error("plugin restart failed", "error", err, "retry_in", backoff)
		}
		// A kick that came while restarting is about the old process.
		select {
		case <-in.kick:
		default:
		}
	}
}

// healthy tells whether the process runs and answers in time.
func (in *instance) healthy(p *process) bool {
	if p.gp.Exited() {
		return false
	}
	ctx, cancel := context.WithTimeout(context.Background(), healthTimeout)
	defer cancel()
	_, err := p.rpc.Info(ctx)
	if err != nil {
		in.log.Warn("plugin health check failed", "pid", p.pid, "error", err)
	}
	return err == nil
}

// close stops the supervisor and the process and waits until the process is gone.
func (in *instance) close() {
	in.mu.Lock()
	if in.closed {
		in.mu.Unlock()
		return
	}
	in.closed = true
	close(in.stop)
	in.mu.Unlock()
	<-in.stopped
	in.mu.Lock()
	p := in.cur
	in.cur = nil
	in.mu.Unlock()
	if p != nil {
		p.gp.Kill()
		in.log.Info("plugin stopped", "pid", p.pid)
	}
}

// pid returns the current process's id, 0 while down.
func (in *instance) pid() int {
	in.mu.Lock()
	defer in.mu.Unlock()
	if in.cur == nil {
		return 0
	}
	return in.cur.pid
}
