/**
 * A webhook delivery: one event to one endpoint, attempted on the Standard Webhooks schedule (workflows/retry.ts,
 * profile `delivery`) until the receiver takes it or the schedule ends. The waits are durable timers, so a
 * pending retry survives restarts of the server and the workers, and a waiting delivery holds no job slot.
 * Deterministic: the attempt activity decides everything that needs the clock, randomness or the network.
 */
export interface DeliveryInput {
  deliveryId: string;
}

export interface AttemptOutcome {
  /** The delivery's status after the attempt: `pending` means wait `retryInMs` and attempt again. */
  status: 'pending' | 'succeeded' | 'failed';
  retryInMs: number | null;
}

export interface DeliveryActivities {
  /** Makes the next attempt of a pending delivery (or none, when it is no longer pending) and records it. */
  attemptDelivery(input: { deliveryId: string }): Promise<AttemptOutcome>;
}

/** Upper bound on loops, far above the schedule's ten attempts plus rate-limit waits: a bug cannot spin forever. */
const MAX_ROUNDS = 1000;

export async function runDelivery(
  input: DeliveryInput,
  activities: DeliveryActivities,
  engine: { sleep(ms: number): Promise<void> },
): Promise<AttemptOutcome> {
  let outcome = await activities.attemptDelivery({ deliveryId: input.deliveryId });
  for (let round = 1; outcome.status === 'pending' && outcome.retryInMs !== null && round < MAX_ROUNDS; round++) {
    await engine.sleep(outcome.retryInMs);
    outcome = await activities.attemptDelivery({ deliveryId: input.deliveryId });
  }
  return outcome;
}
