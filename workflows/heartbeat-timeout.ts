/**
 * How long Temporal waits for a heartbeat before it counts an activity's worker as gone and retries the activity
 * elsewhere. Without heartbeats a worker killed mid-activity would hold the attempt until its start-to-close
 * timeout (minutes); with them a successor takes over within this time. Pure: the workflow sandbox reads it.
 */
export const HEARTBEAT_TIMEOUT_SECONDS = 10;
