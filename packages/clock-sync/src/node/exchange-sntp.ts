import { ClockSyncError } from '../errors';
import { readSntpReply, type SentRequest } from './read-sntp-reply';
import type { SntpLookupAddress } from './resolve-addresses';
import { createSntpRequest } from './sntp-request';
import type { SntpResult } from './sntp-result';
import { createSntpSockets } from './sntp-sockets';

/** One query's exchange, its arguments checked and its server resolved. */
export interface SntpExchange {
  /** The server as asked (`host:port`). */
  readonly name: string;
  readonly port: number;
  /** Where the attempts go, in turn (at least one). */
  readonly addresses: readonly SntpLookupAddress[];
  readonly timeoutMs: number;
  readonly retries: number;
  readonly maxRootDistanceMs: number;
  /** Local time now, ms: stamps `t1` and `t4`. */
  readonly stamp: () => number;
  /** Twice the local clock's resolution, ms. */
  readonly localErrorMs: number;
  readonly signal: AbortSignal | undefined;
  /** The error an abort rejects with. */
  readonly aborted: () => ClockSyncError;
}

/** The error of a query whose every attempt went unanswered (or was answered with garbage). */
function exhausted(
  { name, timeoutMs }: SntpExchange,
  attempts: number,
  invalidReplies: number,
  lastProblem: string,
): ClockSyncError {
  if (invalidReplies === 0) {
    const message = `no answer from ${name} in ${attempts} attempt(s) of ${timeoutMs} ms`;
    return new ClockSyncError('TIMEOUT', message, { server: name });
  }
  const replies = `${invalidReplies} repl${invalidReplies === 1 ? 'y' : 'ies'}`;
  const message = `${name} sent ${replies} but no valid answer in ${attempts} attempt(s): ${lastProblem}`;
  return new ClockSyncError('INVALID_RESPONSE', message, { server: name });
}

/**
 * Sends requests until one is answered: each attempt to the next address, after `timeoutMs`
 * or at once when the address is unreachable, `retries` times after the first. Each request is
 * stamped once its socket is bound, right before it is sent.
 */
export function exchangeSntp(exchange: SntpExchange): Promise<SntpResult> {
  const { name, port, addresses, timeoutMs, retries, signal } = exchange;
  const sent = new Map<string, SentRequest>();
  const context = { ...exchange, asked: new Set<string>(), sent };
  let attempts = 0;
  let invalidReplies = 0;
  let lastProblem = '';
  let timer: ReturnType<typeof setTimeout> | undefined;
  let done = false;
  return new Promise<SntpResult>((resolve, reject) => {
    const finish = (error: ClockSyncError | undefined, result?: SntpResult) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      sockets.close();
      if (error) reject(error);
      else if (result) resolve(result);
    };
    const onAbort = () => finish(exchange.aborted());
    const sockets = createSntpSockets(
      (message, remote) => {
        const t4 = exchange.stamp();
        const bytes = new Uint8Array(message.buffer, message.byteOffset, message.byteLength);
        const reply = readSntpReply(bytes, remote, t4, context);
        if (reply.kind === 'invalid') {
          invalidReplies++;
          lastProblem = reply.problem;
        } else if (reply.kind === 'refused') finish(reply.error);
        else if (reply.kind === 'answer') finish(undefined, { ...reply.result, attempts });
      },
      (cause) => {
        const message = `socket error talking to ${name}`;
        finish(new ClockSyncError('NETWORK', message, { server: name, cause }));
      },
    );
    const failed = (address: string, cause: Error) => {
      if (done) return;
      if (addresses.length > 1 && attempts <= retries) {
        // This address is unreachable (no IPv6 route, ...): try the next one now.
        lastProblem = `cannot send to ${address}: ${cause.message}`;
        clearTimeout(timer);
        send();
        return;
      }
      const message = `cannot send to ${name} (${address})`;
      finish(new ClockSyncError('NETWORK', message, { server: name, cause }));
    };
    const send = () => {
      if (done) return;
      if (attempts > retries)
        return finish(exhausted(exchange, attempts, invalidReplies, lastProblem));
      // Each retry goes to the server's next address: one that is down does not sink the query.
      const target = addresses[attempts % addresses.length] ?? addresses[0];
      if (!target) return;
      attempts++;
      const { packet, key } = createSntpRequest();
      const { address } = target;
      context.asked.add(address);
      sockets.bound(target.family).then(
        (socket) => {
          if (done) return;
          sent.set(key, { t1: exchange.stamp(), address });
          socket.send(packet, port, address, (cause) => cause && failed(address, cause));
          timer = setTimeout(send, timeoutMs);
        },
        (cause: Error) => failed(address, cause),
      );
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    send();
  });
}
