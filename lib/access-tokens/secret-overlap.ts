/*
 * How long a client secret (a service's or an OAuth app's) keeps working after it was rotated, so the
 * client can roll out the new one without an outage. Both kinds share one policy.
 */
export const DEFAULT_OVERLAP_SECONDS = 24 * 3600;
export const MAX_OVERLAP_SECONDS = 7 * 24 * 3600;
