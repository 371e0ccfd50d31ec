package wasm

import (
	"context"
	"strings"
	"testing"

	"github.com/goccy/go-yaml"

	"github.com/frontdeskhq/frontdesk/core/policy"
)

// feePolicy is the fee-dispute policy with its decision made by the executor: a decide node
// with a selector and a branch map, then a do node whose executor's variables flow on.
const feePolicy = `
policy: fee-dispute-wasm
start: eligible
hydrations:
  trip: { static: { cancellation_fee: 7.5, minutes_to_cancel: 3, driver_late: false, fare: 23.4, minutes_late: 12 } }
  transactions: { static: [ { id: ch_1, amount: 23.4, charged_at: "2026-11-21T10:05:00Z" }, { id: ch_2, amount: 23.4, charged_at: "2026-11-21T13:02:00Z" } ] }
nodes:
  eligible:
    decide:
      executor: cancellation_fee_eligible
      select: { fee: trip.cancellation_fee, minutes_since_booking: trip.minutes_to_cancel, driver_late: trip.driver_late }
      branches: { waive: credit, keep: kept }
    on_error: failed
  credit:
    do: executor.late_arrival_credit
    select: { fare: trip.fare, minutes_late: trip.minutes_late }
    goto: duplicate
    on_error: failed
  duplicate:
    decide:
      executor: recent_duplicate_charge
      select: { amount: trip.fare }
      branches: { duplicate: record, single: waived }
    on_error: failed
  record:
    do: record
    args: { reason: vars.reason, refund: vars.refund, credit: vars.credit, percent: vars.percent, matches: vars.matches }
    goto: waived_twice
  waived_twice: { end: waived_duplicate }
  waived: { end: waived }
  kept: { end: fee_kept }
  failed: { end: executor_failed }
`

// TestPolicyRunsExecutors runs a policy through the policy engine with the example executors
// on a real host: what make run does with the examples.
func TestPolicyRunsExecutors(t *testing.T) {
	mods := []ModuleConfig{
		pinned(t, "cancellation_fee_eligible", goExecutor(t, "cancellation_fee_eligible")),
		pinned(t, "recent_duplicate_charge", goExecutor(t, "recent_duplicate_charge")),
		pinned(t, "late_arrival_credit", asExecutor(t, "late_arrival_credit")),
	}
	for i := range mods {
		mods[i].PoolSize = 1
	}
	h := newHost(t, Config{Modules: mods})
	var p policy.Policy
	if err := yaml.Unmarshal([]byte(feePolicy), &p); err != nil {
		t.Fatal(err)
	}
	var vars map[string]any
	actions := policy.Actions{"record": func(_ context.Context, call policy.ActionCall) (policy.ActionResult, error) {
		vars = call.Args
		return policy.ActionResult{}, nil
	}}
	c, err := policy.Compile(&p, nil, policy.Env{Executors: h, Actions: actions})
	if err != nil {
		t.Fatal(err)
	}
	e := &policy.Engine{Executors: h, Actions: actions}
	step, _ := e.Run(context.Background(), c, policy.Start{})
	if step.Err != nil || step.Status != policy.Done || step.End.Resolution != "waived_duplicate" {
		t.Fatalf("got %+v, err %v", step, step.Err)
	}
	var path []string
	for _, ev := range step.Trace {
		path = append(path, ev.Node)
	}
	if got := strings.Join(path, ","); got != "eligible,credit,duplicate,record,waived_twice" {
		t.Fatalf("path %s", got)
	}
	for name, want := range map[string]any{"reason": "grace_period", "refund": 7.5, "credit": 4.68, "percent": int64(20), "matches": int64(2)} {
		if got := vars[name]; got != want {
			t.Errorf("vars.%s = %#v, want %#v", name, got, want)
		}
	}
}

// TestPolicyExecutorFault shows a faulting executor failing its node, which takes on_error,
// while the run and the host carry on.
func TestPolicyExecutorFault(t *testing.T) {
	trap := watModule(t, "trap")
	h := newHost(t, Config{Modules: []ModuleConfig{{Name: "cancellation_fee_eligible", Bytes: trap, SHA256: sha(trap), PoolSize: 1}}})
	src := `
policy: p
start: eligible
nodes:
  eligible:
    decide: { executor: cancellation_fee_eligible, branches: { waive: ok }, else: ok }
    on_error: failed
  ok: { end: ok }
  failed: { end: executor_failed }
`
	var p policy.Policy
	if err := yaml.Unmarshal([]byte(src), &p); err != nil {
		t.Fatal(err)
	}
	c, err := policy.Compile(&p, nil, policy.Env{Executors: h, Actions: policy.Actions{}})
	if err != nil {
		t.Fatal(err)
	}
	e := &policy.Engine{Executors: h, Actions: policy.Actions{}}
	for range 2 {
		step, _ := e.Run(context.Background(), c, policy.Start{})
		if step.Status != policy.Done || step.End.Resolution != "executor_failed" {
			t.Fatalf("got %+v, err %v", step, step.Err)
		}
	}
}
