// Names under which the Instagram side keeps its secrets (values are never printed).
export const InstagramSecrets = {
  /** Serialized session: cookies, authorization, device fields. */
  session: 'instagram.session',
  /** The device identity, generated once per profile and kept across logouts. */
  device: 'instagram.device',
  /** A login waiting for a two-factor or challenge code. */
  pendingLogin: 'instagram.pending_login',
  /** A digest of the stored session once Instagram refused it (login_required), so status can say so. */
  sessionRefused: 'instagram.session_refused',
  /** The username last logged in (not a secret, but personal). */
  username: 'instagram.username',
} as const;
