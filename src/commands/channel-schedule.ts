import type { Config } from '../config.js';
import type { Channel, Schedule } from '../core/store/store.js';

/** The schedule a channel gets when it subscribes without one: the `digest.*` config keys. */
export function defaultSchedule(config: Config): Schedule {
  return {
    time: config.digest.time,
    timeZone: config.digest.timeZone,
    days: config.digest.days,
    size: config.digest.size,
  };
}

/** The time zone the channel's dates are shown in. */
export function channelTimeZone(channel: Channel | null, config: Config): string {
  return channel?.schedule?.timeZone ?? config.digest.timeZone;
}

/** "09:00 Europe/Berlin, weekdays, 10 papers" */
export function describeSchedule(schedule: Schedule): string {
  const days = schedule.days === 'weekdays' ? 'weekdays (Mon-Fri)' : 'every day';
  const papers = schedule.size === 1 ? '1 paper' : `${schedule.size} papers`;
  return `${schedule.time} ${schedule.timeZone}, ${days}, up to ${papers}`;
}
