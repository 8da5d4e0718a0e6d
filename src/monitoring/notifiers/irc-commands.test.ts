// Parsing operators' channel commands.
import { describe, expect, it } from 'vitest';
import { parseCommand } from './irc-commands.js';

describe('channel commands', () => {
  it.each([
    { text: '!status', want: { name: 'status', check: null } },
    { text: '!status 12-ssh', want: { name: 'status', check: '12-ssh' } },
    {
      text: '!ack 12-ssh disk replaced tomorrow',
      want: { name: 'ack', check: '12-ssh', comment: 'disk replaced tomorrow' },
    },
    {
      text: '!silence 12-web 2h kernel upgrade',
      want: { name: 'silence', check: '12-web', durationMs: 7_200_000, reason: 'kernel upgrade' },
    },
    {
      text: '!silence 12-web 1h30m',
      want: { name: 'silence', check: '12-web', durationMs: 5_400_000, reason: '' },
    },
    {
      text: '!silence 12-web soon',
      want: {
        name: 'invalid',
        reply: 'usage: !silence <check> <duration, e.g. 30m or 2h> [reason]',
      },
    },
    { text: '!ack', want: { name: 'invalid', reply: 'usage: !ack <check> [comment]' } },
    { text: 'status please', want: null },
    { text: '!dance', want: null },
  ])('reads "$text"', ({ text, want }) => {
    expect(parseCommand(text)).toEqual(want);
  });
});
