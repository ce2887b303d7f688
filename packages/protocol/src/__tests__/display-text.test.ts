import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isDisplaySafe, toDisplayText, UNSAFE_TEXT_PATTERN } from '../display-text';
import { chatMessageSchema, chatSenderLabel } from '../messages/chat';
import { controlMessageSchema } from '../messages/control';
import { presenceMessageSchema } from '../messages/presence';

const ATTACKS = [
  '\u001b[2J\u001b]0;TITLE\u0007', // clear screen, retitle the window
  'Ann\u202eevil', // right-to-left override
  'line\u2028break',
  'bell\u0007',
  'c1\u009bcsi',
  'del\u007f',
];

describe('toDisplayText', () => {
  it('replaces every control, bidi override and line separator', () => {
    expect(toDisplayText('\u001b[2JAnn')).toBe('\uFFFD[2JAnn');
    for (const text of ATTACKS) {
      const shown = toDisplayText(text);
      expect(isDisplaySafe(shown)).toBe(true);
      expect(shown).toContain('\uFFFD');
    }
  });

  it('keeps printable text as it is, accents and emoji included', () => {
    expect(toDisplayText('Ännä Ö. 🏁 Kraftwerk')).toBe('Ännä Ö. 🏁 Kraftwerk');
  });

  it('cuts long text and shows non-strings as text', () => {
    expect(toDisplayText('x'.repeat(20), 5)).toBe('xxxx…');
    expect(toDisplayText(42)).toBe('42');
  });

  it('never leaves an unsafe character, whatever the input', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (text) => {
        expect(UNSAFE_TEXT_PATTERN.test(toDisplayText(text, 10_000))).toBe(false);
      }),
    );
  });
});

describe('wire text refuses terminal escapes', () => {
  it('a name with an escape sequence is not a valid presence', () => {
    const base = { playerId: 'ann', event: 'join' as const };
    expect(presenceMessageSchema.safeParse({ ...base, name: 'Ann' }).success).toBe(true);
    for (const name of ATTACKS) {
      expect(presenceMessageSchema.safeParse({ ...base, name }).success).toBe(false);
    }
  });

  it('chat and organizer messages refuse them too, and stay non-empty', () => {
    expect(chatMessageSchema.safeParse({ playerId: 'ann', text: '\u001b[2Jhi' }).success).toBe(
      false,
    );
    expect(chatMessageSchema.safeParse({ playerId: 'ann', text: 'hi' }).success).toBe(true);
    expect(chatMessageSchema.safeParse({ playerId: 'ann', text: '' }).success).toBe(false);
    expect(controlMessageSchema.safeParse({ cmd: 'MSG', text: 'go\u0007' }).success).toBe(false);
    expect(controlMessageSchema.safeParse({ cmd: 'MSG', text: 'go' }).success).toBe(true);
  });
});

describe('chatSenderLabel', () => {
  it('names the sender by player id, never a chat without one as the organizer', () => {
    expect(chatSenderLabel({ from: 'ann', name: 'Ann' })).toBe('Ann (ann)');
    expect(chatSenderLabel({ from: 'ann', name: 'ann' })).toBe('ann');
    expect(chatSenderLabel({ from: 'ann' })).toBe('ann');
    expect(chatSenderLabel({ name: 'organizer' })).toBe('unnamed sender');
  });
});
