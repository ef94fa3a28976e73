import { describe, expect, it } from 'vitest';
import { unescapeSlackText } from '../../../src/adapters/slack/slack-text.js';

describe('unescapeSlackText', () => {
  it.each([
    ['show <https://arxiv.org/abs/2410.14735>', 'show https://arxiv.org/abs/2410.14735'],
    [
      'show <https://arxiv.org/abs/2410.14735|arxiv.org/abs/2410.14735>',
      'show https://arxiv.org/abs/2410.14735',
    ],
    ['show &lt;title&gt; &amp; more', 'show <title> & more'],
    ['show &amp;lt;', 'show &lt;'],
    ['subscribe <@U123|ada> robotics', 'subscribe ada robotics'],
    ['subscribe <#C123|general> robotics', 'subscribe general robotics'],
    ['search <!here>', 'search @here'],
    ['show \u201CSkill-it!\u201D', 'show "Skill-it!"'],
    ['search author:\u2018Jos\u00E9\u2019', "search author:'Jos\u00E9'"],
    ['  help  ', 'help'],
  ])('%s → %s', (input, expected) => {
    expect(unescapeSlackText(input)).toBe(expected);
  });
});
