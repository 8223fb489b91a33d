
/** Expert sessions (SPEC §5): the limits the other modules of this folder check. */
/** Longest video accepted, in seconds (12 hours). */
export const MAX_DURATION_SECONDS = 12 * 60 * 60;
/** Most watched ranges one heartbeat may report. */
export const MAX_REPORTED_RANGES = 200;
/** Most products one expert session may be linked to. */
export const MAX_PRODUCTS_PER_SESSION = 50;
/** Upper bound of sessions in the staff and student lists. */
export const EXPERT_SESSION_LIST_LIMIT = 500;
/** Upper bound of progress rows the statistics read per session. */
export const STATS_READ_LIMIT = 2000;
