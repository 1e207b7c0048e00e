import { describe, expect, it } from 'vitest';
import { parseBrowserCookies, sessionCookies, userIdFromSessionId } from '../../src/instagram/browser-cookies.js';

const SESSION = '1098765432%3AAbCdEf123456%3A27%3AAYc';

describe('browser cookies', () => {
  it('reads a cookie-editor JSON array', () => {
    const json = JSON.stringify([
      { name: 'sessionid', value: SESSION, domain: '.instagram.com' },
      { name: 'csrftoken', value: 'tok' },
      { name: 'mid', value: 'm1' },
      { name: 'ig_did', value: 'D1' },
      { name: 'shbid', value: 'ignored' },
    ]);
    expect(parseBrowserCookies(json)).toEqual({
      sessionid: SESSION,
      csrftoken: 'tok',
      mid: 'm1',
      ig_did: 'D1',
      ds_user_id: '1098765432',
    });
  });

  it('reads a JSON object and a cookie header', () => {
    expect(parseBrowserCookies(JSON.stringify({ sessionid: SESSION, ds_user_id: '42' }))).toEqual({
      sessionid: SESSION,
      ds_user_id: '42',
    });
    expect(parseBrowserCookies(`Cookie: csrftoken=a; sessionid=${SESSION}`)).toMatchObject({
      sessionid: SESSION,
      csrftoken: 'a',
    });
  });

  it('reads a "copy as cURL" command with -H or -b', () => {
    const curl = `curl 'https://www.instagram.com/api/v1/x/' \\\n  -H 'accept: */*' \\\n  -H 'cookie: mid=M; csrftoken=C; ds_user_id=1098765432; sessionid=${SESSION}; rur="x"' \\\n  --compressed`;
    expect(parseBrowserCookies(curl)).toEqual({
      mid: 'M',
      csrftoken: 'C',
      ds_user_id: '1098765432',
      sessionid: SESSION,
    });
    expect(parseBrowserCookies(`curl "https://i.instagram.com/" -b "sessionid=${SESSION}"`).sessionid).toBe(SESSION);
  });

  it('refuses input without a sessionid, without echoing it', () => {
    expect(() => parseBrowserCookies('[{"name":"csrftoken","value":"secret-token"}]')).toThrow(/no sessionid cookie/);
    expect(() => parseBrowserCookies('{not json secret-token')).toThrow(/cannot be read/);
    try {
      parseBrowserCookies('{not json secret-token');
    } catch (error) {
      expect((error as Error).message).not.toContain('secret-token');
    }
    expect(() => sessionCookies('bad value with spaces')).toThrow(/sessionid/);
  });

  it('finds the user id in a sessionid', () => {
    expect(userIdFromSessionId(SESSION)).toBe('1098765432');
    expect(userIdFromSessionId('opaque')).toBeNull();
  });
});
