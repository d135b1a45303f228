import { rule } from '../src/lib/input-rules.js';
import { getJob } from '../src/jobs/jobs.js';
import { JOB_STATUSES, type JobState } from '../src/jobs/port.js';
import { serviceContext } from '../src/server/request-context.js';
import { WORKFLOW_NAMES } from '../workflows/registry.js';
import { builder } from './builder.js';

const JobStatusEnum = builder.enumType('JobStatus', { values: JOB_STATUSES });
const JobWorkflowEnum = builder.enumType('JobWorkflow', {
  description: 'The registered workflows (workflows/registry.ts).',
  values: WORKFLOW_NAMES,
});

export const JobType = builder.objectRef<JobState>('Job').implement({
  description: 'Background work (a sync, an export…) and where it stands.',
  fields: (t) => ({
    id: t.exposeID('id'),
    workflow: t.field({ type: JobWorkflowEnum, resolve: (job) => job.workflow }),
    status: t.field({ type: JobStatusEnum, resolve: (job) => job.status }),
    attempt: t.exposeInt('attempt', { description: 'Attempts so far (retries back off exponentially).' }),
    lastError: t.exposeString('lastError', { nullable: true }),
    progress: t.field({ type: 'JSON', nullable: true, resolve: (job) => job.progress ?? null }),
    result: t.field({ type: 'JSON', nullable: true, resolve: (job) => job.result ?? null }),
    createdAt: t.expose('createdAt', { type: 'DateTime' }),
    startedAt: t.expose('startedAt', { type: 'DateTime', nullable: true }),
    finishedAt: t.expose('finishedAt', { type: 'DateTime', nullable: true }),
  }),
});

builder.queryFields((t) => ({
  job: t.field({
    type: JobType,
    description: 'A background job of the workspace.',
    authScopes: { read: true },
    args: { jobId: t.arg.id({ required: true, ...rule({ opaqueId: true }) }) },
    resolve: (_root, args, ctx) => getJob(serviceContext(ctx), String(args.jobId)),
  }),
}));
