package expr

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func testEnv() Env {
	clock := time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)
	return Env{
		ClockVar: clock,
		"customer": map[string]any{
			"id": "C-1", "tier": "gold", "tags": []any{"vip", "fraud-watch"},
			"pickup": map[string]any{"lat": 52.52, "lon": 13.405},
		},
		"trip": map[string]any{
			"fee": 5.0, "booked_at": "2026-05-01T11:57:00Z", "driver_late": true,
		},
		"transactions": []any{
			map[string]any{"amount": 12.5, "at": "2026-05-01T10:00:00Z"},
			map[string]any{"amount": 12.5, "at": "2026-05-01T11:00:00Z"},
			map[string]any{"amount": 3.0, "at": "2026-04-01T11:00:00Z"},
		},
		"open_requests": []any{},
		"input":         map[string]any{},
	}
}

func TestVocabulary(t *testing.T) {
	c := NewCompiler([]string{"customer", "trip", "transactions", "open_requests", "input", "missing"}, NewRegistry())
	env := testEnv()
	for _, tt := range []struct {
		expr string
		want bool
	}{
		{`customer.tier == "gold"`, true},
		{`customer.tier in ["gold", "platinum"]`, true},
		{`customer.id contains "C-"`, true},
		{`has(customer.tags, "vip")`, true},
		{`includes(customer.tags, "new")`, false},
		{`has(customer, "pickup") and not has(customer, "dropoff")`, true},
		{`customer.tier == "gold" or trip.fee > 100`, true},
		{`len(open_requests) == 0 && size(customer.tags) == 2`, true},
		{`len(filter(transactions, .amount == 12.5)) >= 2`, true},
		{`minutesSince(trip.booked_at) < 5`, true},
		{`hoursSince(trip.booked_at) < 0.01`, false},
		{`daysSince("2026-04-01T12:00:00Z") == 30`, true},
		{`distanceKm(customer.pickup, {lat: 52.53, lon: 13.41}) < 2`, true},
		{`distanceKm([52.52, 13.405], [48.8566, 2.3522]) > 800`, true},
		{`customer.nickname == nil`, true},
		{`missing == nil`, true},
		{`customer.nickname`, false},
		{`now() > trip.booked_at`, false},
	} {
		t.Run(tt.expr, func(t *testing.T) {
			p, err := c.Compile(tt.expr)
			if tt.expr == `now() > trip.booked_at` {
				// comparing a time with text is a runtime type error, reported, not panicking
				if err == nil {
					_, err = p.Bool(env)
				}
				if err == nil {
					t.Fatal("want an error comparing time with text")
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			got, err := p.Bool(env)
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.want {
				t.Fatalf("got %v, want %v", got, tt.want)
			}
		})
	}
}

func TestCompileErrors(t *testing.T) {
	c := NewCompiler([]string{"customer"}, NewRegistry())
	for _, tt := range []struct {
		expr, want string
		col        int
	}{
		{`custmer.tier == "gold"`, "unknown name custmer", 1},
		{`customer.tier == `, "unexpected token", 17},
		{`hoursSinse(customer.ts) > 1`, "unknown name hoursSinse", 1},
		{`customer.tier = "gold"`, "", 0},
	} {
		_, err := c.Compile(tt.expr)
		var ce *Error
		if !errors.As(err, &ce) {
			t.Fatalf("%s: got %v, want *Error", tt.expr, err)
		}
		if !strings.Contains(ce.Message, tt.want) {
			t.Errorf("%s: message %q lacks %q", tt.expr, ce.Message, tt.want)
		}
		if tt.col > 0 && ce.Column != tt.col {
			t.Errorf("%s: column %d, want %d", tt.expr, ce.Column, tt.col)
		}
	}
}

func TestNamesAreRecorded(t *testing.T) {
	c := NewCompiler([]string{"customer", "trip", "input"}, NewRegistry())
	p, err := c.Compile(`customer.id != "" && hoursSince(trip.booked_at) > 1`)
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(p.Names, ","); got != "customer,trip" {
		t.Fatalf("names %q", got)
	}
}

func TestRuntimeErrorIsReturned(t *testing.T) {
	c := NewCompiler([]string{"customer"}, NewRegistry())
	p, err := c.Compile(`customer.address.street == "x"`)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.Bool(Env{"customer": nil}); err == nil {
		t.Fatal("want an error fetching from nil")
	}
}

func TestRegisteredFunction(t *testing.T) {
	reg := NewRegistry()
	reg.Register(Func{Name: "double", Fn: func(args ...any) (any, error) { return args[0].(int) * 2, nil }})
	c := NewCompiler(nil, reg)
	p, err := c.Compile(`double(21) == 42`)
	if err != nil {
		t.Fatal(err)
	}
	if ok, err := p.Bool(Env{}); err != nil || !ok {
		t.Fatalf("got %v %v", ok, err)
	}
}

func BenchmarkCondition(b *testing.B) {
	c := NewCompiler([]string{"customer", "trip", "transactions", "open_requests", "input"}, NewRegistry())
	p, err := c.Compile(`customer.tier == "gold" && len(open_requests) == 0 && trip.fee > 3`)
	if err != nil {
		b.Fatal(err)
	}
	env := testEnv()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := p.Bool(env); err != nil {
			b.Fatal(err)
		}
	}
}
