/**
 * Notification rules: a trigger (a domain event a rule listens to, or a digest's calendar slot) is evaluated once,
 * then sent to the rule's channels; in the user's quiet hours it waits for their end on a durable timer (a held
 * notification holds no job slot and survives restarts). Deterministic: the activities read the clock and the data.
 */
export interface NotifyInput {
  triggerId: string;
}

export interface DigestInput {
  ruleId: string;
}

export interface NotifyOutcome {
  /** skipped: the condition did not hold (or cooldown, severity, a disabled rule); held: quiet hours, wait `waitMs`. */
  status: 'skipped' | 'pending' | 'held' | 'sent' | 'failed';
  waitMs: number | null;
}

export interface NotificationActivities {
  /** Decides whether the trigger fires its rule (condition, severity, cooldown, once per condition) and fixes the message. */
  evaluateTrigger(input: NotifyInput): Promise<NotifyOutcome>;
  /** Sends a fired trigger on the rule's channels and logs each attempt, or holds it while quiet hours last. */
  dispatchTrigger(input: NotifyInput): Promise<NotifyOutcome>;
  /** Writes the digest of the period that just ended as a fired trigger; null when the rule is gone or disabled. */
  prepareDigest(input: DigestInput): Promise<{ triggerId: string | null }>;
}

/** Far above any real number of quiet-hour waits: a bug cannot loop forever. */
const MAX_ROUNDS = 100;

export async function runNotify(
  input: NotifyInput,
  activities: Pick<NotificationActivities, 'evaluateTrigger' | 'dispatchTrigger'>,
  engine: { sleep(ms: number): Promise<void> },
): Promise<NotifyOutcome> {
  const evaluated = await activities.evaluateTrigger(input);
  if (evaluated.status !== 'pending' && evaluated.status !== 'held') return evaluated;
  let outcome = await activities.dispatchTrigger(input);
  for (let round = 1; outcome.status === 'held' && outcome.waitMs !== null && round < MAX_ROUNDS; round++) {
    await engine.sleep(outcome.waitMs);
    outcome = await activities.dispatchTrigger(input);
  }
  return outcome;
}

export async function runDigest(
  input: DigestInput,
  activities: NotificationActivities,
  engine: { sleep(ms: number): Promise<void> },
): Promise<NotifyOutcome> {
  const { triggerId } = await activities.prepareDigest(input);
  if (triggerId === null) return { status: 'skipped', waitMs: null };
  return runNotify({ triggerId }, activities, engine);
}
