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
