import { builder } from './builder.js';

/** Where a daily target of the wellness summaries came from. */
export const TargetSourceEnum = builder.enumType('TargetSource', {
  description: 'parameter: the request’s value; goal: the user’s active daily goal on the metric; default: the documented default.',
  values: ['parameter', 'goal', 'default'] as const,
});
