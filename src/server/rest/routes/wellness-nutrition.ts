import { inArea, route } from './route.js';

/** Meal logs (issue 20), stored as nutrition samples through the ingestion service. */
export const NUTRITION_ROUTES = inArea('Wellness logs', [
  route('GET /users/:userId/nutrition', 'Query.meals', 'read', 'List nutrition/meal logs'),
  route('POST /users/:userId/nutrition', 'Mutation.logMeal', 'write', 'Log a meal with macros', {
    example: {
      mealType: 'lunch',
      foods: [{ name: 'Lentil soup', portion: '1 bowl' }],
      energy: 420,
      protein: 24,
      carbohydrates: 55,
      fat: 9,
    },
  }),
  route('GET /users/:userId/nutrition/summary/daily', 'Query.nutritionDaily', 'read', 'Today’s nutrition totals'),
  route('GET /users/:userId/nutrition/summary/weekly', 'Query.nutritionWeekly', 'read', 'Weekly average macros'),
]);
