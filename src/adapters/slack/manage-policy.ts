import type { webApi } from '@slack/bolt';
import type { Clock } from '../../core/clock.js';
import type { Logger } from '../../core/logger.js';

export interface ManagePolicy {
  /** How refusals name the permission. */
  readonly managePermission: string;
  canManage(userId: string): Promise<boolean>;
}

const CACHE_MS = 10 * 60 * 1000;
const CACHE_MAX = 1000;

/**
 * `slack.manage`: `anyone` in the channel (default), or `admins` — the ids in
 * `slack.adminUserIds` plus workspace admins and owners (users.info, cached briefly).
 */
export function createManagePolicy(options: {
  mode: 'anyone' | 'admins';
  adminUserIds: readonly string[];
  client: webApi.WebClient;
  clock: Clock;
  logger: Logger;
}): ManagePolicy {
  if (options.mode === 'anyone') {
    return { managePermission: 'channel member', canManage: async () => true };
  }
  const listed = new Set(options.adminUserIds);
  const cache = new Map<string, { admin: boolean; at: number }>();
  return {
    managePermission: 'Paperboy admin (slack.adminUserIds) or workspace admin',
    async canManage(userId) {
      if (listed.has(userId)) return true;
      const now = options.clock.now().getTime();
      const hit = cache.get(userId);
      if (hit && now - hit.at < CACHE_MS) return hit.admin;
      try {
        const res = await options.client.users.info({ user: userId });
        const admin = Boolean(
          res.user?.is_admin || res.user?.is_owner || res.user?.is_primary_owner,
        );
        cache.set(userId, { admin, at: now });
        if (cache.size > CACHE_MAX) cache.delete(cache.keys().next().value as string);
        return admin;
      } catch (error) {
        options.logger.warn(
          { err: (error as Error).message, userId },
          'users.info failed; treating user as not an admin',
        );
        return false;
      }
    },
  };
}
