// The `user:password@` part of a URL someone typed. People put unencoded '@' and '/' in passwords,
// which a URL does not allow but which must still never be shown: the userinfo runs to the last '@'
// before the query, not to the first '@' or '/'.

const SCHEME = /^[a-z][a-z0-9+.-]*:\/\//i;

export interface Userinfo {
  /** Everything before the userinfo (the scheme and `//`). */
  scheme: string;
  user: string;
  /** The password as typed (percent-encoded or not); null when there is none. */
  password: string | null;
  /** Everything after the userinfo's '@'. */
  rest: string;
}

export function urlUserinfo(url: string): Userinfo | null {
  const scheme = SCHEME.exec(url)?.[0];
  if (!scheme) return null;
  const afterScheme = url.slice(scheme.length);
  const queryAt = afterScheme.search(/[?#]/);
  const at = (queryAt === -1 ? afterScheme : afterScheme.slice(0, queryAt)).lastIndexOf('@');
  if (at === -1) return null;
  const userinfo = afterScheme.slice(0, at);
  const colon = userinfo.indexOf(':');
  return {
    scheme,
    user: colon === -1 ? userinfo : userinfo.slice(0, colon),
    password: colon === -1 ? null : userinfo.slice(colon + 1),
    rest: afterScheme.slice(at + 1),
  };
}
