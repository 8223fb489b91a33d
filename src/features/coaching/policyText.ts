import type { FunctionReturnType } from "convex/server";
import type { api } from "../../../convex/_generated/api";

/** A coaching product's booking and cancellation policy, as the server returns it. */
export type ProductPolicy = FunctionReturnType<typeof api.coaching.listProducts>[number]["policy"];
/** What is left of a student's session allowance (null = unlimited). */
export type Allowance = FunctionReturnType<typeof api.coaching.myAllowance>;

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? "" : "s"}`;
}

/** "Cancel or move it yourself until 24 hours before it starts; later, ask your coach (a late cancellation)." */
export function cancellationRule(policy: ProductPolicy): string {
  if (policy.cancellationWindowHours === 0) return "You can cancel or move it yourself until it starts.";
  return `You can cancel or move it yourself until ${plural(policy.cancellationWindowHours, "hour")} before it starts. Later, only your coach can, and it counts as a late cancellation: the session is not given back.`;
}

/** "Book at least 12 hours and at most 30 days ahead." */
export function bookingWindowRule(policy: ProductPolicy): string {
  const earliest = policy.minimumNoticeHours === 0 ? "any time before the start" : `at least ${plural(policy.minimumNoticeHours, "hour")} ahead`;
  return `Book ${earliest}, up to ${plural(policy.bookingHorizonDays, "day")} ahead.`;
}

/** "3 of 4 sessions left", "No sessions left (4 used)" or "Unlimited sessions". */
export function allowanceText(allowance: Allowance): string {
  if (allowance.total === null || allowance.remaining === null) return "Unlimited sessions";
  if (allowance.remaining === 0) return `No sessions left (${allowance.used} of ${allowance.total} used)`;
  return `${allowance.remaining} of ${plural(allowance.total, "session")} left`;
}

/** One line for staff lists: "Buffers 10/15 min · notice 12 h · up to 30 days · cancel until 24 h before". */
export function policySummary(policy: ProductPolicy): string {
  return [
    `buffers ${policy.bufferBeforeMinutes}/${policy.bufferAfterMinutes} min`,
    `notice ${policy.minimumNoticeHours} h`,
    `up to ${policy.bookingHorizonDays} days ahead`,
    policy.cancellationWindowHours === 0 ? "cancel until the start" : `cancel until ${policy.cancellationWindowHours} h before`,
  ].join(" · ");
}
