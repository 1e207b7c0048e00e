import { describe, expect, it } from 'vitest';
import { realtimeChoice } from '../../src/bridge/daemon.js';

const settings = (values: Record<string, unknown>) => ({ get: (key: string) => values[key] });

describe('realtimeChoice', () => {
  it('opens the link unless --no-realtime or bridge.realtime false', () => {
    expect(realtimeChoice(true, settings({}))).toEqual({ on: true, note: null });
    expect(realtimeChoice(false, settings({}))).toEqual({ on: false, note: null });
    expect(realtimeChoice(true, settings({ 'bridge.realtime': false }))).toEqual({ on: false, note: null });
  });

  it('polls instead when Instagram is reached through a proxy the link cannot use, and says so', () => {
    expect(realtimeChoice(true, settings({ 'instagram.proxy': 'http://127.0.0.1:3128' }))).toEqual({
      on: false,
      note: 'realtime is off: it cannot go through instagram.proxy; polling instead',
    });
  });
});
