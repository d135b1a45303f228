/** The event registry: what a health event can be. */
export const EVENT_TYPES = ['workout', 'sleep', 'activity'] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export const SLEEP_STAGES = ['awake', 'light', 'deep', 'rem'] as const;
export type SleepStage = (typeof SLEEP_STAGES)[number];

/** Longest event we accept: a multi-day ultra or expedition; anything longer is a client bug. */
export const MAX_EVENT_SECONDS = 7 * 24 * 3600;
