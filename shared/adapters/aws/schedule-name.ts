import { createHash } from 'node:crypto';

/** EventBridge Scheduler's limits on a schedule name. */
export const SCHEDULE_NAME_MAX_LENGTH = 64;
const validName = /^[0-9A-Za-z_.-]{1,64}$/;
const HASH_LENGTH = 16;

/**
 * The EventBridge Scheduler name for an application schedule name. Schedule names allow only
 * 1-64 characters of `[0-9A-Za-z-_.]`, while the application names schedules after its own ids
 * (which may hold `#`, `:` or be long). A name that already fits is used as is, so it stays
 * readable in the console; any other is made safe and suffixed with a hash of the original,
 * so two different names never meet in one schedule and the same name always finds its
 * schedule again (create, replace and delete must agree).
 */
export function toScheduleName(name: string): string {
  if (name.length === 0) throw new RangeError('A schedule name cannot be empty');
  if (validName.test(name)) return name;
  const hash = createHash('sha256').update(name, 'utf8').digest('hex').slice(0, HASH_LENGTH);
  const readable = name.replace(/[^0-9A-Za-z_.-]/g, '_').slice(0, SCHEDULE_NAME_MAX_LENGTH - HASH_LENGTH - 1);
  return `${readable}-${hash}`;
}
