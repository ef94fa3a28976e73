import * as ask from './ask.js';
import type { CommandContext } from './context.js';
import * as digest from './digest.js';
import * as help from './help.js';
import * as latest from './latest.js';
import type { Reply } from './reply.js';
import * as schedule from './schedule.js';
import * as search from './search.js';
import * as show from './show.js';
import * as similar from './similar.js';
import type { InputOf, SubcommandName } from './spec.js';
import * as status from './status.js';
import * as subscribe from './subscribe.js';
import * as subscriptions from './subscriptions.js';
import * as unsubscribe from './unsubscribe.js';

type Handler<N extends SubcommandName> = (input: InputOf<N>, ctx: CommandContext) => Promise<Reply>;

/** One handler per subcommand file; the type makes a declared subcommand without one a compile error. */
export const HANDLERS: { [N in SubcommandName]: Handler<N> } = {
  search: search.run,
  show: show.run,
  ask: ask.run,
  similar: similar.run,
  latest: latest.run,
  subscribe: subscribe.run,
  unsubscribe: unsubscribe.run,
  subscriptions: subscriptions.run,
  schedule: schedule.run,
  digest: digest.run,
  status: status.run,
  help: help.run,
};
