import { describe, expect, it } from 'vitest';
import { clientAddressOf } from '../start-hub';

describe('clientAddressOf', () => {
  it('reaches a wildcard listen address at 127.0.0.1', () => {
    expect(clientAddressOf('0.0.0.0')).toBe('127.0.0.1');
    expect(clientAddressOf('::')).toBe('127.0.0.1');
    expect(clientAddressOf('[::]')).toBe('127.0.0.1');
  });

  it('puts an IPv6 address in brackets once', () => {
    expect(clientAddressOf('fe80::1')).toBe('[fe80::1]');
    expect(clientAddressOf('[fe80::1]')).toBe('[fe80::1]');
    expect(clientAddressOf('::1')).toBe('[::1]');
  });

  it('keeps an IPv4 address or a name', () => {
    expect(clientAddressOf('192.168.1.20')).toBe('192.168.1.20');
    expect(clientAddressOf('race.example.org')).toBe('race.example.org');
  });
});
