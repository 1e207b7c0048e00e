// A saved session whose outer JSON is fine but whose inner state is damaged reads as unreadable,
// so the user is told to log in again, not shown an "unexpected failure".
import { IgApiClient } from 'instagram-private-api';
import { describe, expect, it } from 'vitest';
import { SessionFormatError, decodeSession } from '../../src/instagram/adapter/session-codec.js';

describe('decodeSession', () => {
  it('refuses a damaged cookie list as a session format error', async () => {
    const ig = new IgApiClient();
    const saved = JSON.stringify({ version: 1, state: { cookies: '{bad' }, viewer: { id: '1', name: 'alex' } });
    await expect(decodeSession(ig, saved)).rejects.toBeInstanceOf(SessionFormatError);
    await expect(decodeSession(ig, '{')).rejects.toBeInstanceOf(SessionFormatError);
  });
});
