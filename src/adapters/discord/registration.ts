import { type REST, Routes } from 'discord.js';
import {
  COMMAND_DESCRIPTION,
  COMMAND_NAME,
  type OptionSpec,
  SUBCOMMANDS,
  type SubcommandSpec,
} from '../../commands/spec.js';
import type { Logger } from '../../core/logger.js';

/** Discord's application command option types. */
const OPTION_TYPE = { subcommand: 1, string: 3, integer: 4 } as const;

type Json = Record<string, unknown>;

function cut(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

function optionJson(option: OptionSpec): Json {
  const json: Json = {
    type: option.type === 'integer' ? OPTION_TYPE.integer : OPTION_TYPE.string,
    name: option.name,
    description: cut(option.description, 100),
  };
  if (option.required) json.required = true;
  if (option.min !== undefined) json.min_value = option.min;
  if (option.max !== undefined) json.max_value = option.max;
  if (option.minLength !== undefined) json.min_length = option.minLength;
  if (option.maxLength !== undefined) json.max_length = option.maxLength;
  if (option.choices) {
    json.choices = option.choices.slice(0, 25).map((c) => ({ name: c, value: c }));
  } else if (option.autocomplete) {
    json.autocomplete = true;
  }
  return json;
}

function subcommandJson(spec: SubcommandSpec): Json {
  // Discord wants required options before optional ones.
  const options = [...spec.options].sort((a, b) => Number(!!b.required) - Number(!!a.required));
  return {
    type: OPTION_TYPE.subcommand,
    name: spec.name,
    description: cut(spec.description, 100),
    options: options.map(optionJson),
  };
}

/**
 * The `/papers` command as Discord's JSON, generated from the spec. Global commands
 * are offered in guilds and in DMs with the bot (contexts 0 and 1).
 */
export function commandJson(scope: 'global' | 'guild'): Json[] {
  const command: Json = {
    name: COMMAND_NAME,
    description: cut(COMMAND_DESCRIPTION, 100),
    type: 1,
    options: SUBCOMMANDS.map(subcommandJson),
  };
  if (scope === 'global') {
    command.contexts = [0, 1];
    command.integration_types = [0];
  }
  return [command];
}

const OPTION_KEYS = [
  'type',
  'name',
  'description',
  'required',
  'min_value',
  'max_value',
  'min_length',
  'max_length',
  'choices',
  'autocomplete',
  'options',
];

/** The fields we declare, with Discord's defaults filled, so a registered command compares equal. */
function normalise(value: unknown, keys: string[]): unknown {
  if (Array.isArray(value)) return value.map((v) => normalise(v, keys));
  if (!value || typeof value !== 'object') return value;
  const source = value as Json;
  const out: Json = {};
  for (const key of keys) {
    let v = source[key];
    if ((key === 'required' || key === 'autocomplete') && v === undefined) v = false;
    if (key === 'options' && v === undefined) v = [];
    if (v === undefined || v === null) continue;
    if (key === 'choices') v = (v as Json[]).map((c) => ({ name: c.name, value: c.value }));
    else if (key === 'options') v = normalise(v, OPTION_KEYS);
    out[key] = v;
  }
  return out;
}

function comparable(commands: unknown[]): string {
  const keys = ['name', 'description', 'type', 'options', 'contexts', 'integration_types'];
  const list = commands.map((c) => normalise(c, keys) as Json);
  list.sort((a, b) => String(a.name).localeCompare(String(b.name)));
  return JSON.stringify(list);
}

export interface RegistrationTarget {
  applicationId: string;
  /** Register on one guild (development) instead of globally. */
  guildId: string | null;
}

/**
 * Registers `/papers` only when what Discord holds differs from the spec: one GET,
 * and a PUT only on a difference, so restarts cost no registration writes.
 * Returns whether it wrote.
 */
export async function ensureCommandsRegistered(
  rest: REST,
  target: RegistrationTarget,
  logger: Logger,
): Promise<boolean> {
  const route = target.guildId
    ? Routes.applicationGuildCommands(target.applicationId, target.guildId)
    : Routes.applicationCommands(target.applicationId);
  const desired = commandJson(target.guildId ? 'guild' : 'global');
  const registered = (await rest.get(route)) as unknown[];
  if (comparable(registered) === comparable(desired)) {
    logger.debug({ scope: target.guildId ? 'guild' : 'global' }, 'Discord commands up to date');
    return false;
  }
  await rest.put(route, { body: desired });
  logger.info(
    { scope: target.guildId ? `guild ${target.guildId}` : 'global' },
    'registered the /papers command on Discord',
  );
  return true;
}
