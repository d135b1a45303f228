import { createExportActivities } from '../src/exports/export-activities.js';
import { createHousekeepingActivities } from '../src/domain-events/purge-activities.js';
import { createSyncActivities } from '../src/connections/sync-activities.js';
import { createImportActivities } from '../src/imports/import-activities.js';
import { createProbeActivities } from '../src/jobs/probe-activities.js';
import type { Platform } from '../src/jobs/platform.js';
import { createNotificationActivities } from '../src/notifications/rule-activities.js';
import { createDeliveryActivities } from '../src/webhooks/delivery-activities.js';
import { createMedicationActivities } from '../src/wellness/medications/reminder-activities.js';
import { createReportActivities } from '../src/reports/report-activities.js';
import type { DeliveryActivities } from './delivery.js';
import type { ExportActivities } from './exports.js';
import type { HousekeepingActivities } from './housekeeping.js';
import type { ImportActivities } from './imports.js';
import type { MedicationActivities } from './medications.js';
import type { NotificationActivities } from './notifications.js';
import type { ProbeActivities } from './probe.js';
import type { ReportActivities } from './reports.js';
import type { SyncActivities } from './sync.js';

/**
 * The activities table: every activity of every workflow, by name, bound to the platform once per process (the
 * local runner's and the Temporal worker's). A new workflow's activities join the type and the object here.
 */
export type Activities = SyncActivities &
  ProbeActivities &
  HousekeepingActivities &
  DeliveryActivities &
  NotificationActivities &
  MedicationActivities &
  ReportActivities &
  ExportActivities &
  ImportActivities;

export function createActivities(platform: Platform): Activities {
  return {
    ...createSyncActivities(platform),
    ...createProbeActivities(platform),
    ...createHousekeepingActivities(platform),
    ...createDeliveryActivities(platform),
    ...createNotificationActivities(platform),
    ...createMedicationActivities(platform),
    ...createReportActivities(platform),
    ...createExportActivities(platform),
    ...createImportActivities(platform),
  };
}
