// Command cancellation_fee_eligible is the fee-dispute executor: given the cancellation fee,
// the minutes between booking and cancellation and whether the driver was late, it decides
// whether the fee is waived. Built for frontdesk's wasm host with
//
//	GOOS=wasip1 GOARCH=wasm go build -buildmode=c-shared -o cancellation_fee_eligible.wasm .
//
// The rule, in order:
//  1. the driver was late: waive (reason "driver_late");
//  2. cancelled at most GraceMinutes after booking: waive (reason "grace_period");
//  3. otherwise keep the fee (reason "fee_applies").
//
// A waived fee is refunded in full: the variable "refund" carries the amount to later nodes.
package main

import "github.com/frontdeskhq/frontdesk/sdk/executor"

// GraceMinutes is the free-cancellation window after booking.
const GraceMinutes = 5

func init() { executor.Handle(handle) }

// handle reads fee, minutes_since_booking and driver_late and answers waive or keep.
func handle(req executor.Request) (executor.Response, error) {
	fee := req.Float("fee")
	minutes := req.Int("minutes_since_booking")
	late := req.Bool("driver_late")
	if err := req.Err(); err != nil {
		return executor.Response{}, err
	}
	branch, reason := decide(minutes, late)
	refund := 0.0
	if branch == "waive" {
		refund = fee
	}
	return executor.Response{Branch: branch, Vars: req.Vars(
		executor.String("reason", reason),
		executor.Float("refund", refund),
	)}, nil
}

// decide applies the rule.
func decide(minutesSinceBooking int64, driverLate bool) (branch, reason string) {
	switch {
	case driverLate:
		return "waive", "driver_late"
	case minutesSinceBooking <= GraceMinutes:
		return "waive", "grace_period"
	}
	return "keep", "fee_applies"
}

func main() {}
