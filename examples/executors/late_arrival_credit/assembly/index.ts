// late_arrival_credit: how much of the fare a rider gets back when the driver arrived late.
//
// Selected values: fare (float), minutes_late (int).
// Rule: no credit up to 5 minutes late; from 6 minutes, 10% of the fare per started 5 minutes
// late, at most 50% of the fare, rounded down to the cent.
// Answer: branch "credit" or "none"; variables credit (float) and percent (int).
import { Request, Response, handle } from "@frontdesk/executor/assembly";
export { frontdesk_abi_v1, frontdesk_run } from "@frontdesk/executor/assembly";

const GRACE_MINUTES: i64 = 5;
const PERCENT_PER_STEP: i64 = 10;
const MAX_PERCENT: i64 = 50;

handle((req: Request, res: Response): void => {
  const fare = req.float("fare");
  const late = req.int("minutes_late");
  if (req.error.length > 0) return; // the SDK fails the call with the error

  let percent: i64 = 0;
  if (late > GRACE_MINUTES) {
    percent = ((late - GRACE_MINUTES + 4) / 5) * PERCENT_PER_STEP;
    if (percent > MAX_PERCENT) percent = MAX_PERCENT;
  }
  const credit = Math.floor(fare * <f64>percent) / 100;
  res.branch(percent > 0 ? "credit" : "none");
  res.float("credit", credit);
  res.int("percent", percent);
});
