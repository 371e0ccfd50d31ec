package plugin

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"
)

// failing answers every call with its error.
type failing struct{ err error }

func (f failing) EnsureCase(context.Context, CaseRequest) (Case, error)      { return Case{}, f.err }
func (f failing) UpdateCase(context.Context, CaseUpdate) (Case, error)       { return Case{}, f.err }
func (f failing) AddNote(context.Context, Note) error                        { return f.err }
func (f failing) AssignCase(context.Context, Assignment) (Case, error)       { return Case{}, f.err }
func (f failing) GetCase(context.Context, string) (Case, error)              { return Case{}, f.err }
func (f failing) Fetch(context.Context, string, map[string]any) (any, error) { return nil, f.err }

func TestErrorsCrossTheBoundary(t *testing.T) {
	for _, sentinel := range []error{ErrNotFound, ErrInvalidArgument, ErrUnimplemented, ErrUnavailable,
		context.DeadlineExceeded, context.Canceled} {
		impl := failing{fmt.Errorf("case %q: %w", "C-1", sentinel)}
		c, err := InProcess(Services{CRM: impl})
		if err != nil {
			t.Fatal(err)
		}
		_, err = c.GetCase(context.Background(), "C-1")
		if !errors.Is(err, sentinel) || !strings.Contains(err.Error(), `case "C-1"`) {
			t.Errorf("error for %v = %v; want it wrapped with the plugin's message", sentinel, err)
		}
		c.Close()
	}
	c, _ := InProcess(Services{CRM: failing{errors.New("the CRM is on fire")}})
	defer c.Close()
	err := c.AddNote(context.Background(), Note{CaseID: "1", Body: "x"})
	if err == nil || err.Error() != "the CRM is on fire" || errors.Is(err, ErrNotFound) {
		t.Errorf("plain error = %v, want the message only", err)
	}
}

func TestUnservedServiceIsUnimplemented(t *testing.T) {
	c, err := InProcess(Services{Hydrator: failing{}})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if _, err := c.GetCustomer(context.Background(), "C-1"); !errors.Is(err, ErrUnimplemented) {
		t.Errorf("GetCustomer on a plugin without BackOffice = %v, want ErrUnimplemented", err)
	}
	info, err := c.Info(context.Background())
	if err != nil || !info.Serves(ServiceHydrator) || info.Serves(ServiceCRM) || info.ProtocolMajor != ProtocolMajor {
		t.Errorf("Info = %+v, %v", info, err)
	}
}

// echo answers Fetch with its arguments.
type echo struct{}

func (echo) Fetch(_ context.Context, call string, args map[string]any) (any, error) {
	return map[string]any{"call": call, "args": args, "list": []int{1, 2}}, nil
}

func TestFetchRoundTrip(t *testing.T) {
	c, err := InProcess(Services{Hydrator: echo{}})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	got, err := c.Fetch(context.Background(), "points", map[string]any{"customer_id": "C-1", "n": 2})
	if err != nil {
		t.Fatal(err)
	}
	data, _ := json.Marshal(got)
	if want := `{"args":{"customer_id":"C-1","n":2},"call":"points","list":[1,2]}`; string(data) != want {
		t.Errorf("Fetch = %s, want %s", data, want)
	}
	if _, err := c.Fetch(context.Background(), "x", map[string]any{"f": func() {}}); !errors.Is(err, ErrInvalidArgument) {
		t.Errorf("Fetch with unencodable args = %v, want ErrInvalidArgument", err)
	}
}

// clock returns fixed times, to see them cross the boundary.
type clock struct{ failing }

func (clock) GetCase(_ context.Context, id string) (Case, error) {
	return Case{ID: id, Created: time.Date(2026, 3, 1, 9, 30, 0, 123456789, time.UTC), Confidence: 0.875}, nil
}

func TestTimesAndZeroTimes(t *testing.T) {
	c, _ := InProcess(Services{CRM: clock{}})
	defer c.Close()
	got, err := c.GetCase(context.Background(), "C-9")
	if err != nil {
		t.Fatal(err)
	}
	if !got.Created.Equal(time.Date(2026, 3, 1, 9, 30, 0, 123456789, time.UTC)) || !got.Updated.IsZero() || got.Confidence != 0.875 {
		t.Errorf("GetCase = %+v; want the time to the nanosecond and a zero Updated", got)
	}
}

// TestLoggerSpeaksHCLogJSON checks the fields go-plugin's host parses: with another timestamp
// layout it would forward the line as one debug message.
func TestLoggerSpeaksHCLogJSON(t *testing.T) {
	var buf bytes.Buffer
	log := newLogger(&buf, slog.LevelDebug)
	log.Warn("slow back office", "ms", 1200)
	log.Debug("detail")
	lines := strings.Split(strings.TrimSpace(buf.String()), "\n")
	if len(lines) != 2 {
		t.Fatalf("got %d lines: %q", len(lines), buf.String())
	}
	var e map[string]any
	if err := json.Unmarshal([]byte(lines[0]), &e); err != nil {
		t.Fatal(err)
	}
	if e["@level"] != "warn" || e["@message"] != "slow back office" || e["ms"] != 1200.0 {
		t.Errorf("entry = %v", e)
	}
	if _, err := time.Parse(hclogTimeFormat, e["@timestamp"].(string)); err != nil {
		t.Errorf("timestamp: %v", err)
	}
	if !strings.Contains(lines[1], `"@level":"debug"`) {
		t.Errorf("debug line = %s", lines[1])
	}
}
