import { inArea, route } from './route.js';

const CREATE_USER_EXAMPLE = { externalId: 'app-user-42', email: 'ada@example.com', timezone: 'Europe/London', metadata: { plan: 'pro' } };

const UPDATE_USER_EXAMPLE = { timezone: 'Asia/Kolkata' };

/** Users: the app's end users. */
export const USER_ROUTES = inArea('Users', [
  route('POST /users', 'Mutation.createUser', 'write', 'Create or find a user by externalId', {
    example: CREATE_USER_EXAMPLE,
    found: 'The user with this externalId already existed; it is returned unchanged.',
  }),
  route('GET /users', 'Query.users', 'read', 'List all users (paginated)'),
  route('GET /users/:userId', 'Query.user', 'read', 'Get a user by ID'),
  route('PATCH /users/:userId', 'Mutation.updateUser', 'write', 'Update user properties', { example: UPDATE_USER_EXAMPLE }),
  route('DELETE /users/:userId', 'Mutation.deleteUser', 'admin', 'Delete a user and all their data'),
]);
