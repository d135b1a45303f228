/** What the `userChanged` subscription and (later) webhooks carry when a user is created, updated or deleted. */
export const USER_CHANGE_ACTIONS = ['created', 'updated', 'deleted'] as const;
export type UserChangeAction = (typeof USER_CHANGE_ACTIONS)[number];

export interface UserChange {
  action: UserChangeAction;
  userId: string;
  externalId: string;
  at: Date;
}
