import { describe, expect, it } from 'vitest';
import { openGuardedWebSocket } from '../core/guarded-socket';

/** Records what reaches the wire, and logs as a browser does when sent to while not open. */
class RecordingSocket {
  static instances: RecordingSocket[] = [];
  readyState = 0;
  sent: string[] = [];
  browserErrors: string[] = [];
  constructor(
    readonly url: string,
    readonly protocols: string[],
  ) {
    RecordingSocket.instances.push(this);
  }
  send(data: string): void {
    if (this.readyState !== 1)
      this.browserErrors.push('WebSocket is already in CLOSING or CLOSED state.');
    else this.sent.push(data);
  }
}

describe('openGuardedWebSocket', () => {
  it('opens the socket with the url and subprotocols mqtt.js asks for', () => {
    const socket = openGuardedWebSocket(RecordingSocket, 'ws://127.0.0.1:8883/mqtt', ['mqtt']);
    expect(socket).toBeInstanceOf(RecordingSocket);
    expect(socket.url).toBe('ws://127.0.0.1:8883/mqtt');
    expect(socket.protocols).toEqual(['mqtt']);
  });

  it('sends while open and drops writes once the socket is closing or closed', () => {
    const socket = openGuardedWebSocket(RecordingSocket, 'ws://hub/mqtt', ['mqtt']);
    socket.readyState = 1;
    socket.send('puback 1');
    socket.readyState = 2; // CLOSING: the hub shut down
    socket.send('puback 2');
    socket.readyState = 3; // CLOSED
    socket.send('pingreq');
    expect(socket.sent).toEqual(['puback 1']);
    expect(socket.browserErrors).toEqual([]);
  });
});
