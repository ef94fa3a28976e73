import { REST } from 'discord.js';
import { configSecrets, loadConfig } from '../../config.js';
import { isPaperboyError } from '../../core/errors.js';
import { createLogger } from '../../core/logger.js';
import { inviteUrl } from './invite.js';
import { ensureCommandsRegistered } from './registration.js';

/** `npm run register`: registers `/papers` from the spec by hand (only when it changed). */
async function main(): Promise<number> {
  const config = loadConfig();
  const logger = createLogger({
    level: config.log.level,
    pretty: process.stderr.isTTY,
    secretValues: configSecrets(config),
  });
  const secrets = config.discord.secrets;
  if (!secrets) {
    logger.error('DISCORD_TOKEN and DISCORD_APPLICATION_ID must be set to register commands');
    return 2;
  }
  const rest = new REST(secrets.apiUrl ? { api: secrets.apiUrl } : {}).setToken(secrets.token);
  const wrote = await ensureCommandsRegistered(
    rest,
    { applicationId: secrets.applicationId, guildId: secrets.guildId },
    logger,
  );
  logger.info(
    { wrote, invite: inviteUrl(secrets.applicationId) },
    wrote ? 'registered' : 'already up to date',
  );
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    // Coded errors carry safe messages; anything else is summarised without details that could hold a secret.
    const message = isPaperboyError(error)
      ? error.message
      : `registration failed: ${(error as Error).name}: ${(error as Error).message}`;
    process.stderr.write(`${message}\n`);
    process.exitCode = 1;
  },
);
