import type { NetworkInterfaceInfo } from 'node:os';
import { describe, expect, it } from 'vitest';
import {
  formatJoinLines,
  type InterfaceList,
  invitationHubUrl,
  joinLines,
  lanAddresses,
} from '../host/join-lines';

const entry = (address: string, family: 'IPv4' | 'IPv6', internal: boolean): NetworkInterfaceInfo =>
  ({
    address,
    family,
    internal,
    netmask: family === 'IPv4' ? '255.255.255.0' : 'ffff:ffff:ffff:ffff::',
    mac: '00:00:00:00:00:00',
    cidr: null,
    ...(family === 'IPv6' ? { scopeid: 0 } : {}),
  }) as NetworkInterfaceInfo;

const INTERFACES: InterfaceList = {
  lo: [entry('127.0.0.1', 'IPv4', true), entry('::1', 'IPv6', true)],
  eth0: [entry('192.168.1.20', 'IPv4', false), entry('fe80::1', 'IPv6', false)],
  wlan0: [entry('10.0.0.7', 'IPv4', false)],
};

describe('joinLines', () => {
  it('lists every non-internal IPv4 address, in order', () => {
    expect(lanAddresses(INTERFACES)).toEqual([
      { name: 'eth0', address: '192.168.1.20' },
      { name: 'wlan0', address: '10.0.0.7' },
    ]);
  });

  it('on 0.0.0.0 gives this machine and a complete --broker line per LAN address', () => {
    expect(
      joinLines('nv8sek', { embedded: true, listen: '0.0.0.0', port: 1883 }, INTERFACES),
    ).toEqual([
      { where: 'this machine', command: 'gw2race-racer --race nv8sek' },
      {
        where: 'LAN eth0',
        command: 'gw2race-racer --race nv8sek --broker mqtt://192.168.1.20:1883',
      },
      { where: 'LAN wlan0', command: 'gw2race-racer --race nv8sek --broker mqtt://10.0.0.7:1883' },
    ]);
  });

  it('on :: it does the same, and a non-default port needs --broker on this machine too', () => {
    expect(joinLines('r1', { embedded: true, listen: '::', port: 1999 }, INTERFACES)).toEqual([
      { where: 'this machine', command: 'gw2race-racer --race r1 --broker mqtt://127.0.0.1:1999' },
      { where: 'LAN eth0', command: 'gw2race-racer --race r1 --broker mqtt://192.168.1.20:1999' },
      { where: 'LAN wlan0', command: 'gw2race-racer --race r1 --broker mqtt://10.0.0.7:1999' },
    ]);
  });

  it('omits --broker only where the racer default reaches the hub', () => {
    const local = (port: number) =>
      joinLines('r1', { embedded: true, listen: '127.0.0.1', port }, INTERFACES);
    expect(local(1883)).toEqual([{ where: 'this machine', command: 'gw2race-racer --race r1' }]);
    expect(local(2000)).toEqual([
      { where: 'this machine', command: 'gw2race-racer --race r1 --broker mqtt://127.0.0.1:2000' },
    ]);
  });

  it('on one interface gives that address, and an external hub its URL', () => {
    expect(
      joinLines('r1', { embedded: true, listen: '192.168.1.20', port: 1883 }, INTERFACES),
    ).toEqual([
      {
        where: '192.168.1.20',
        command: 'gw2race-racer --race r1 --broker mqtt://192.168.1.20:1883',
      },
    ]);
    expect(joinLines('r1', { embedded: false, url: 'mqtts://hub.example:8883/' }, {})).toEqual([
      { where: 'hub', command: 'gw2race-racer --race r1 --broker mqtts://hub.example:8883/' },
    ]);
  });

  it('formats aligned lines, and says so when no network address was found', () => {
    expect(
      formatJoinLines('r1', { embedded: true, listen: '0.0.0.0', port: 1883 }, INTERFACES),
    ).toEqual([
      '  this machine: gw2race-racer --race r1',
      '  LAN eth0:     gw2race-racer --race r1 --broker mqtt://192.168.1.20:1883',
      '  LAN wlan0:    gw2race-racer --race r1 --broker mqtt://10.0.0.7:1883',
    ]);
    expect(
      formatJoinLines(
        'r1',
        { embedded: true, listen: '0.0.0.0', port: 1883 },
        { lo: INTERFACES.lo },
      ),
    ).toEqual([
      '  this machine: gw2race-racer --race r1',
      '  (no network address found: only racers on this machine can join)',
    ]);
  });
});

describe('the hub address an invitation carries', () => {
  it('is the first LAN address on every interface, the one listened on, or the external hub without credentials', () => {
    const embedded = (listen: string) => ({ embedded: true as const, listen, port: 1883 });
    expect(invitationHubUrl(embedded('0.0.0.0'), INTERFACES)).toBe('mqtt://192.168.1.20:1883');
    expect(invitationHubUrl(embedded('0.0.0.0'), { lo: INTERFACES.lo })).toBe(
      'mqtt://127.0.0.1:1883',
    );
    expect(invitationHubUrl(embedded('127.0.0.1'), INTERFACES)).toBe('mqtt://127.0.0.1:1883');
    expect(invitationHubUrl(embedded('10.0.0.7'), INTERFACES)).toBe('mqtt://10.0.0.7:1883');
    expect(
      invitationHubUrl({ embedded: false, url: 'mqtts://org:secret@hub.example:8883' }, INTERFACES),
    ).toBe('mqtts://hub.example:8883');
  });
});
