import { inArea, route } from './route.js';

/** Water intake logs (issue 20), stored as water samples through the ingestion service. */
export const WATER_ROUTES = inArea('Wellness logs', [
  route('GET /users/:userId/water', 'Query.waterLogs', 'read', 'List water intake logs'),
  route('POST /users/:userId/water', 'Mutation.logWater', 'write', 'Log water intake (amount, beverage type)', {
    example: { amount: 250, unit: 'ml', beverage: 'water' },
  }),
  route('DELETE /users/:userId/water/:logId', 'Mutation.deleteWaterLog', 'write', 'Delete a water log'),
  route('GET /users/:userId/water/today', 'Query.waterToday', 'read', 'Today’s hydration summary and goal progress'),
  route('GET /users/:userId/water/weekly', 'Query.waterWeekly', 'read', '7-day hydration stats with daily breakdown'),
]);
