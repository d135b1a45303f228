/**
 * The mood labels an entry may carry: what the user felt, beside how good it was (the score). Twelve common
 * labels of mood trackers, pleasant ones first; a list filter and the statistics' distribution use them.
 */
export const MOOD_LABELS = [
  'happy',
  'excited',
  'grateful',
  'calm',
  'content',
  'neutral',
  'tired',
  'bored',
  'anxious',
  'stressed',
  'sad',
  'angry',
] as const;
export type MoodLabel = (typeof MOOD_LABELS)[number];

/** Score, energy and stress are whole numbers on one scale: 1 (worst, exhausted, no stress) to 10. */
export const SCALE_MIN = 1;
export const SCALE_MAX = 10;
export const MAX_NOTE_LENGTH = 2000;
