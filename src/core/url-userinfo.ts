// The `user:password@` part of a URL someone typed. People put unencoded '@', '/', '?' and '#' in
// passwords, which a URL does not allow but which must still never be shown: the userinfo runs to
// the last '@' of the whole text when what comes before it holds a password (or is a bare user
// name). Otherwise the last '@' is in the query (`?replicaSet=a@b`) and the userinfo, if any, ends
// at the last '@' before it. An '@' in the query of a URL with a password hides more than the
// password: the safe side. `http:user:pw@host` and `http:/…` are URLs to `new URL` too.

const SCHEME = /^[a-z][a-z0-9+.-]*:[/\\]{0,2}/i;

export interface Userinfo {
  /** Everything before the userinfo (the scheme and its slashes). */
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
  let at = afterScheme.lastIndexOf('@');
  if (at === -1) return null;
  const candidate = afterScheme.slice(0, at);
  if (!candidate.includes(':') && /[/?#]/.test(candidate)) {
    const queryAt = afterScheme.search(/[?#]/);
    at = queryAt === -1 ? -1 : afterScheme.slice(0, queryAt).lastIndexOf('@');
    if (at === -1) return null;
  }
  const userinfo = afterScheme.slice(0, at);
  const colon = userinfo.indexOf(':');
  return {
    scheme,
    user: colon === -1 ? userinfo : userinfo.slice(0, colon),
    password: colon === -1 ? null : userinfo.slice(colon + 1),
    rest: afterScheme.slice(at + 1),
  };
}
