package executor_test

import (
	"fmt"

	"github.com/frontdeskhq/frontdesk/sdk/executor"
)

// feeDispute is the handler an executor registers with executor.Handle in init.
func feeDispute(req executor.Request) (executor.Response, error) {
	if req.Bool("driver_late") || req.Int("minutes_since_booking") <= 5 {
		return executor.Response{Branch: "waive", Vars: []executor.Var{executor.Float("refund", req.Float("fee"))}}, nil
	}
	return executor.Response{Branch: "keep"}, nil
}

// Test runs a handler natively, as the host would call it, for the executor's own tests.
func ExampleTest() {
	res, err := executor.Test(feeDispute, map[string]any{"fee": 7.5, "minutes_since_booking": 3, "driver_late": false}, nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	refund, _ := res.Var("refund")
	fmt.Println(res.Branch, refund)
	// Output: waive 7.5
}

// A value of the wrong type fails the call with a message naming it; the handler can read
// everything first and the SDK reports the first problem.
func ExampleRequest_Err() {
	_, err := executor.Test(feeDispute, map[string]any{"fee": 7.5, "minutes_since_booking": "three", "driver_late": false}, nil)
	fmt.Println(err)
	// Output: executor: wrong type: "minutes_since_booking" is string, read as int
}

// Hydrate fetches data the policy declares, as JSON, when the handler needs it.
func ExampleRequest_Hydrate() {
	h := func(req executor.Request) (executor.Response, error) {
		trip, err := req.Hydrate("trip")
		if err != nil {
			return executor.Response{}, err
		}
		return executor.Response{Vars: []executor.Var{executor.String("trip", string(trip))}}, nil
	}
	res, _ := executor.Test(h, nil, map[string]any{"trip": map[string]any{"id": "T-1"}})
	trip, _ := res.Var("trip")
	fmt.Println(trip)
	// Output: {"id":"T-1"}
}
