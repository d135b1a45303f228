import { inArea, route } from './route.js';

/** Health reports: generated as JSON, HTML and PDF by the healthReport workflow, and scheduled weekly / monthly. */
export const REPORT_ROUTES = inArea('Reports, exports, scores and sleep', [
  route('GET /users/:userId/reports', 'Query.healthReports', 'read', 'List generated health reports'),
  route('POST /users/:userId/reports', 'Mutation.generateHealthReport', 'write', 'Generate a health report', {
    status: 202,
    example: { period: 'custom', from: '2025-06-02', to: '2025-06-15', formats: ['json', 'html', 'pdf'] },
  }),
  route('GET /users/:userId/report-schedule', 'Query.reportSchedule', 'read', 'A user’s scheduled weekly and monthly reports', {
    beyondContract: true,
  }),
  route(
    'PUT /users/:userId/report-schedule',
    'Mutation.updateReportSchedule',
    'write',
    'Turn scheduled weekly / monthly reports on or off',
    {
      example: { weekly: true, monthly: false },
      beyondContract: true,
    },
  ),
]);
