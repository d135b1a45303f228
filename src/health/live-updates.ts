/** The payload of the `healthSamplesIngested` subscription: one message per ingest that stored new samples. */
export interface SamplesIngested {
  userId: string;
  source: string;
  inserted: number;
  metrics: { metricType: string; inserted: number }[];
  at: Date;
}
