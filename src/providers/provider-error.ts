/** What a provider call can tell a sync beyond "retry later". */
export class ProviderError extends Error {
  constructor(
    message: string,
    readonly kind: 'rate_limited' | 'unauthorized' | 'invalid_response' | 'unavailable',
    /** For rate_limited: seconds the provider asked us to wait (Retry-After). */
    readonly retryAfterSeconds: number | null = null,
    /** The provider's HTTP status, where one was answered (Garmin's 409 and 412 mean more than "unavailable"). */
    readonly status: number | null = null,
  ) {
    super(message);
  }
}
