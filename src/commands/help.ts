import type { CommandContext } from './context.js';
import type { NoticeReply, Reply } from './reply.js';
import {
  COMMAND_DESCRIPTION,
  COMMAND_NAME,
  findSubcommand,
  type InputOf,
  type OptionSpec,
  SUBCOMMANDS,
  type SubcommandSpec,
  usageOf,
} from './spec.js';

function optionLine(option: OptionSpec): string {
  const allowed = option.choices ? ` (${option.choices.join(' or ')})` : '';
  const required = option.required ? '' : ', optional';
  return `  ${option.name}: ${option.description}${allowed}${required}`;
}

/** The full help of one subcommand, from its declaration. */
export function subcommandHelp(spec: SubcommandSpec, managePermission: string): NoticeReply {
  const lines = [usageOf(spec), `${spec.description}.`];
  if (spec.options.length > 0) {
    lines.push('Options (positional in this order, or as name:value):');
    lines.push(...spec.options.map(optionLine));
  }
  if (spec.manage) lines.push(`Needs the ${managePermission} permission.`);
  lines.push('Examples:', ...spec.examples.map((e) => `  /${COMMAND_NAME} ${e}`));
  return { kind: 'notice', title: `/${COMMAND_NAME} ${spec.name}`, lines, ephemeral: true };
}

export async function run(input: InputOf<'help'>, ctx: CommandContext): Promise<Reply> {
  const spec = input.subcommand ? findSubcommand(input.subcommand) : undefined;
  if (spec) return subcommandHelp(spec, ctx.managePermission);
  return {
    kind: 'notice',
    title: `/${COMMAND_NAME}: ${COMMAND_DESCRIPTION}`,
    lines: [
      ...SUBCOMMANDS.map((s) => `${usageOf(s)}: ${s.description}`),
      `More about one: /${COMMAND_NAME} help <subcommand>.`,
    ],
    ephemeral: true,
  };
}
