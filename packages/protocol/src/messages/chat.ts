import { z } from 'zod';
import { idSchema } from '../ids';
import { epochSecondsSchema, integrityFields, textSchema } from './common';

/** `race/{raceId}/chat`: optional room messages. */
export const chatMessageSchema = z.object({
  from: idSchema.optional().describe('Sender player id; the organizer omits it.'),
  name: textSchema(64).optional(),
  text: textSchema(500).min(1),
  t: epochSecondsSchema.optional().describe("Sender's clock (epoch s)."),
  ...integrityFields,
});

/** A chat message. */
export type ChatMessage = z.infer<typeof chatMessageSchema>;

/**
 * Who a chat is from, as screens show it: the sender's player id (what the hub binds and can
 * check), with the self-declared name beside it. A chat without `from` is not the organizer's
 * (the organizer speaks with `MSG` control commands, which only the host may publish): it shows as
 * an unnamed sender.
 */
export function chatSenderLabel(message: Pick<ChatMessage, 'from' | 'name'>): string {
  if (message.from === undefined) return 'unnamed sender';
  if (message.name === undefined || message.name === message.from) return message.from;
  return `${message.name} (${message.from})`;
}
