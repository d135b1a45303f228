import type { ServiceContext } from '../context.js';

/**
 * Everything of a service context but the tenant: what the job engine binds activities to once per process. Each
 * activity takes the tenant from the record it works on (a connection, a delivery…).
 */
export type Platform = Omit<ServiceContext, 'workspaceId'>;
