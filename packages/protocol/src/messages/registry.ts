import type { z } from 'zod';
import type { Channel } from '../topics';
import { chatMessageSchema } from './chat';
import { checkpointMessageSchema } from './checkpoint';
import { controlMessageSchema } from './control';
import { flagMessageSchema } from './flag';
import { pingMessageSchema, pongMessageSchema } from './ping';
import { posMessageSchema } from './pos';
import { presenceMessageSchema } from './presence';
import { rankingMessageSchema } from './ranking';
import { requestMessageSchema } from './request';
import { stateMessageSchema } from './state';

/** The schema of every message kind. One source of truth: JSON Schema files are generated from it. */
export const MESSAGE_SCHEMAS = {
  state: stateMessageSchema,
  control: controlMessageSchema,
  presence: presenceMessageSchema,
  pos: posMessageSchema,
  checkpoint: checkpointMessageSchema,
  ranking: rankingMessageSchema,
  chat: chatMessageSchema,
  ping: pingMessageSchema,
  pong: pongMessageSchema,
  flag: flagMessageSchema,
  request: requestMessageSchema,
} as const;

/** A message kind. */
export type MessageKind = keyof typeof MESSAGE_SCHEMAS;

/** All message kinds. */
export const MESSAGE_KINDS = Object.keys(MESSAGE_SCHEMAS) as MessageKind[];

/** The message type of a kind. */
export type MessageOf<K extends MessageKind> = z.infer<(typeof MESSAGE_SCHEMAS)[K]>;

/** Any message, tagged with its kind. */
export type AnyMessage = { [K in MessageKind]: { kind: K; message: MessageOf<K> } }[MessageKind];

/** The topic channel each kind travels on. */
export const CHANNEL_OF_KIND = {
  state: 'state',
  control: 'control',
  presence: 'presence',
  pos: 'pos',
  checkpoint: 'checkpoints',
  ranking: 'ranking',
  chat: 'chat',
  ping: 'ping',
  pong: 'pong',
  flag: 'flags',
  request: 'request',
} as const satisfies Record<MessageKind, Channel>;

/**
 * Largest payload accepted per kind, in bytes, checked before any parsing (a signed payload may
 * exceed it by `MAX_SIGNATURE_OVERHEAD`). Hubs often cap messages lower (AWS IoT Core: 128 KiB):
 * every kind stays far below that except a big `state` and `ranking`, whose size grows with the
 * racers and, for a ranking with splits, with the checkpoints (figures in the README's
 * "Encoding", under "Hub caps").
 */
export const MAX_MESSAGE_BYTES = {
  state: 256 * 1024,
  control: 4 * 1024,
  presence: 2 * 1024,
  pos: 1024,
  checkpoint: 2 * 1024,
  ranking: 512 * 1024,
  chat: 2 * 1024,
  ping: 1024,
  pong: 1024,
  flag: 64 * 1024,
  request: 1024,
} as const satisfies Record<MessageKind, number>;

/**
 * A message as the host received it: the kind, the host's clock at reception and the message.
 * This is the input of the race engine and what a recording stores, so a live race and a
 * re-judgement of its recording see the same stream.
 */
export type ReceivedMessage = {
  [K in MessageKind]: {
    readonly kind: K;
    /** Host clock when received (epoch s). */
    readonly at: number;
    readonly message: MessageOf<K>;
    /** Player the topic names (per-player channels), which the host checked against the message. */
    readonly playerId?: string;
  };
}[MessageKind];
