import { inflateSync } from 'node:zlib';
// The small pieces of the realtime receiver: target URL, back-off, iris snapshot, rejection guard.
import { describe, expect, it } from 'vitest';
import { backoffDelay } from '../../src/realtime/backoff.js';
import { irisSnapshotFromInbox } from '../../src/realtime/iris-snapshot.js';
import { parseRealtimeUrl } from '../../src/realtime/realtime-url.js';
import { isRealtimeLibraryError } from '../../src/realtime/rejection-guard.js';

describe('realtime target', () => {
  it('defaults to Instagram edge host on 443 and reads mqtts:// URLs', () => {
    expect(parseRealtimeUrl(undefined)).toEqual({ host: 'edge-mqtt.facebook.com', port: 443 });
    expect(parseRealtimeUrl(' ')).toEqual({ host: 'edge-mqtt.facebook.com', port: 443 });
    expect(parseRealtimeUrl('mqtts://127.0.0.1:8883')).toEqual({ host: '127.0.0.1', port: 8883 });
    expect(parseRealtimeUrl('mqtts://gateway.example')).toEqual({ host: 'gateway.example', port: 443 });
  });

  it('refuses plain-text and malformed URLs', () => {
    expect(() => parseRealtimeUrl('mqtt://127.0.0.1:1883')).toThrow(/mqtts/);
    expect(() => parseRealtimeUrl('127.0.0.1:8883')).toThrow();
  });
});

describe('back-off', () => {
  it('grows exponentially with jitter and stays within its cap', () => {
    const options = { baseMs: 1000, maxMs: 60_000 };
    expect(backoffDelay(0, options)).toBe(0);
    expect(backoffDelay(1, { ...options, random: () => 0 })).toBe(500);
    expect(backoffDelay(1, { ...options, random: () => 1 })).toBe(1000);
    expect(backoffDelay(4, { ...options, random: () => 1 })).toBe(8000);
    expect(backoffDelay(50, { ...options, random: () => 1 })).toBe(60_000);
    for (let failures = 1; failures < 12; failures++) {
      const delay = backoffDelay(failures, options);
      const ceiling = Math.min(60_000, 1000 * 2 ** (failures - 1));
      expect(delay).toBeGreaterThanOrEqual(ceiling / 2);
      expect(delay).toBeLessThanOrEqual(ceiling);
    }
  });
});

describe('iris snapshot', () => {
  it('reads seq_id and snapshot_at_ms of an inbox response', () => {
    expect(irisSnapshotFromInbox({ inbox: {}, seq_id: 182, snapshot_at_ms: 1547815538244 })).toEqual({
      seqId: 182,
      snapshotAtMs: 1547815538244,
    });
    expect(irisSnapshotFromInbox({ inbox: {} })).toBeNull();
  });
});

describe('rejection guard', () => {
  it('recognises the library errors and nothing else', () => {
    const abort = new Error('Client disconnected.');
    abort.name = 'AbortError';
    expect(isRealtimeLibraryError(abort)).toBe(true);
    const fromLibrary = new Error('x');
    fromLibrary.stack =
      'Error: x\n    at MqttClient.stopExecutingFlows (/app/node_modules/mqtts/dist/mqtt.client.js:229:30)';
    expect(isRealtimeLibraryError(fromLibrary)).toBe(true);
    // zlib's own rejection of a corrupt publish carries no library frame in its stack.
    const corrupt = (() => {
      try {
        inflateSync(Buffer.from([0x78, 0x9c, 1, 2, 3]));
      } catch (error) {
        return error;
      }
    })();
    expect((corrupt as NodeJS.ErrnoException).code).toMatch(/^Z_/);
    expect(isRealtimeLibraryError(corrupt)).toBe(true);
    expect(isRealtimeLibraryError(new TypeError('a bug of ours'))).toBe(false);
    expect(isRealtimeLibraryError('a string')).toBe(false);
  });
});
