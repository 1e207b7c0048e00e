// The InstagramClient adapter on instagram-private-api 1.46.1.
import type { User } from '../../core/model.js';
import type {
  BrowserCookies,
  ChallengeMethod,
  InboxPage,
  InstagramClient,
  LoginOutcome,
  PendingLogin,
  SendResult,
  SessionListener,
  ThreadPage,
} from '../client.js';
import type { DeviceIdentity } from '../device.js';
import { NotLoggedInError, RejectedError } from '../errors.js';
import { idString, igTimeToMs, num, obj, str, type Json } from '../ig-values.js';
import { mapInboxPage, mapThreadPage, mapUser, type Viewer } from '../map-thread.js';
import { applyAppIdentity, applyDevice, createConfiguredClient, type ClientConfig } from './configure.js';
import type { IgApiClient } from './library.js';
import { toInstagramError } from './library-errors.js';
import { chooseMethod, passwordLogin, resend, submitLoginCode } from './login-flows.js';
import { decodeSession, encodeSession, sessionFingerprint } from './session-codec.js';

export interface AdapterOptions extends ClientConfig {
  /** The profile's device, or null to generate one (seeded by the username) on first login. */
  device: DeviceIdentity | null;
  onDeviceCreated?: (device: DeviceIdentity) => Promise<void> | void;
  onSessionChanged?: SessionListener;
}

const URL_IN_TEXT = /\bhttps?:\/\/[^\s<>"]+/gi;

export class PrivateApiClient implements InstagramClient {
  private readonly ig: IgApiClient;
  private device: DeviceIdentity | null;
  private viewer: Viewer = { id: null, name: null };
  private fingerprint: string | null = null;
  private watching: Promise<void> = Promise.resolve();
  /** Cookies given to loginWithCookies are on trial until Instagram accepts them: nothing is saved. */
  private untested = false;

  constructor(private readonly options: AdapterOptions) {
    this.ig = createConfiguredClient(options);
    this.device = options.device;
    if (this.device) applyDevice(this.ig, this.device, options);
    this.ig.request.end$.subscribe(() => {
      this.watching = this.watching.then(() => this.checkSession()).catch(() => undefined);
    });
  }

  /** Resolves once every pending session save has been handed to the listener. */
  async settled(): Promise<void> {
    await this.watching;
  }

  private async checkSession(): Promise<void> {
    if (!this.options.onSessionChanged || this.untested || !this.hasSessionCookie()) return;
    const next = await sessionFingerprint(this.ig);
    if (next === this.fingerprint) return;
    this.fingerprint = next;
    this.options.onSessionChanged(await encodeSession(this.ig, this.viewer));
  }

  private hasSessionCookie(): boolean {
    const cookie = this.ig.state.extractCookie('sessionid');
    return Boolean(cookie?.value) || Boolean((this.ig.state as unknown as { authorization?: string }).authorization);
  }

  private async ensureDevice(seed: string): Promise<void> {
    if (this.device) return;
    this.ig.state.generateDevice(seed);
    const state = this.ig.state as unknown as Record<string, string>;
    this.device = {
      version: 1,
      deviceString: state.deviceString!,
      deviceId: state.deviceId!,
      uuid: state.uuid!,
      phoneId: state.phoneId!,
      adid: state.adid!,
      build: state.build!,
    };
    applyDevice(this.ig, this.device, this.options);
    await this.options.onDeviceCreated?.(this.device);
  }

  private error(error: unknown) {
    return toInstagramError(error, this.options.apiUrl);
  }

  private setViewer(user: User): User {
    this.viewer = { id: user.id, name: user.fullName || user.username || null };
    return user;
  }

  private async pending(
    username: string,
    result: { request: PendingLogin['request']; data: Record<string, string> },
  ): Promise<PendingLogin> {
    return {
      version: 1,
      username,
      request: result.request,
      data: result.data,
      session: await encodeSession(this.ig, this.viewer),
      createdAt: Date.now(),
    };
  }

  private async finished(user: User | null): Promise<LoginOutcome> {
    const known = user ?? (await this.currentUser());
    this.setViewer(known);
    this.fingerprint = null;
    await this.checkSession();
    return { status: 'ok', user: known };
  }

  async login(username: string, password: string): Promise<LoginOutcome> {
    await this.ensureDevice(username);
    const result = await passwordLogin(this.ig, username, password, this.options.apiUrl);
    if (result.status === 'ok') return this.finished(result.user);
    return { status: 'needs_code', pending: await this.pending(username, result) };
  }

  private async restorePending(pending: PendingLogin): Promise<void> {
    await this.resumeSession(pending.session);
  }

  async submitCode(pending: PendingLogin, code: string): Promise<LoginOutcome> {
    await this.restorePending(pending);
    const user = await submitLoginCode(this.ig, pending, code, this.options.apiUrl);
    return this.finished(user);
  }

  async resendCode(pending: PendingLogin): Promise<PendingLogin> {
    await this.restorePending(pending);
    const data = await resend(this.ig, pending, this.options.apiUrl);
    return { ...pending, data, session: await encodeSession(this.ig, this.viewer) };
  }

  async chooseChallengeMethod(pending: PendingLogin, method: ChallengeMethod): Promise<PendingLogin> {
    await this.restorePending(pending);
    const request = await chooseMethod(this.ig, pending, method, this.options.apiUrl);
    return { ...pending, request, session: await encodeSession(this.ig, this.viewer) };
  }

  async resumeSession(serialized: string): Promise<void> {
    this.viewer = await decodeSession(this.ig, serialized);
    applyAppIdentity(this.ig, this.options);
    if (this.device) applyDevice(this.ig, this.device, this.options);
    else {
      const state = this.ig.state as unknown as Record<string, string | undefined>;
      if (state.deviceId && state.deviceString) {
        this.device = {
          version: 1,
          deviceString: state.deviceString,
          deviceId: state.deviceId,
          uuid: state.uuid ?? '',
          phoneId: state.phoneId ?? '',
          adid: state.adid ?? '',
          build: state.build ?? '',
        };
      }
    }
    this.fingerprint = await sessionFingerprint(this.ig);
  }

  async loginWithCookies(cookies: BrowserCookies): Promise<User> {
    const userId = cookies.ds_user_id ?? null;
    await this.ensureDevice(userId ?? cookies.sessionid.slice(0, 24));
    const host = this.options.apiUrl;
    // A failed check must not replace the session stored before (every answer triggers a save).
    this.untested = true;
    for (const [name, value] of Object.entries(cookies)) {
      if (typeof value === 'string' && value) this.ig.state.cookieJar.setCookie(`${name}=${value}; Path=/`, host);
    }
    const authorization = Buffer.from(
      JSON.stringify({ ds_user_id: userId ?? '', sessionid: cookies.sessionid, should_use_header_over_cookies: true }),
    ).toString('base64');
    (this.ig.state as unknown as { authorization: string }).authorization = `Bearer IGT:2:${authorization}`;
    const user = await this.currentUser();
    this.untested = false;
    this.fingerprint = null;
    await this.checkSession();
    return user;
  }

  async currentUser(): Promise<User> {
    let raw: unknown;
    try {
      raw = await this.ig.account.currentUser();
    } catch (error) {
      throw this.error(error);
    }
    const user = mapUser(obj(raw));
    if (!user) throw new RejectedError(200, 'no user in the answer');
    return this.setViewer(user);
  }

  private async get(url: string, qs: Record<string, unknown>): Promise<Json> {
    try {
      const { body } = await this.ig.request.send({ url, qs });
      return obj(body) ?? {};
    } catch (error) {
      throw this.error(error);
    }
  }

  private inboxQuery(cursor: string | null): Record<string, unknown> {
    return {
      visual_message_return_type: 'unseen',
      cursor: cursor ?? undefined,
      direction: cursor ? 'older' : undefined,
      thread_message_limit: 10,
      persistentBadging: true,
      limit: 20,
    };
  }

  async inboxPage(cursor: string | null): Promise<InboxPage> {
    const page = mapInboxPage(await this.get('/api/v1/direct_v2/inbox/', this.inboxQuery(cursor)), false, this.viewer);
    if (page.viewer) this.setViewer(page.viewer);
    return page;
  }

  async irisSnapshot(): Promise<{ seqId: number; snapshotAtMs: number }> {
    const body = await this.get('/api/v1/direct_v2/inbox/', {
      ...this.inboxQuery(null),
      limit: 1,
      thread_message_limit: 1,
    });
    const seqId = num(body.seq_id);
    const snapshotAtMs = num(body.snapshot_at_ms);
    if (seqId === null || snapshotAtMs === null) throw new RejectedError(200, 'no seq_id in the inbox answer');
    return { seqId, snapshotAtMs };
  }

  async pendingInboxPage(cursor: string | null): Promise<InboxPage> {
    const page = mapInboxPage(
      await this.get('/api/v1/direct_v2/pending_inbox/', this.inboxQuery(cursor)),
      true,
      this.viewer,
    );
    if (page.viewer) this.setViewer(page.viewer);
    return page;
  }

  async threadPage(threadId: string, cursor: string | null): Promise<ThreadPage> {
    const body = await this.get(`/api/v1/direct_v2/threads/${encodeURIComponent(threadId)}/`, {
      visual_message_return_type: 'unseen',
      direction: 'older',
      cursor: cursor ?? undefined,
      limit: 20,
    });
    return mapThreadPage(body, this.viewer);
  }

  async userInfo(userId: string): Promise<User> {
    const body = await this.get(`/api/v1/users/${encodeURIComponent(userId)}/info/`, {});
    const user = mapUser(obj(body.user));
    if (!user) throw new RejectedError(200, 'no user in the answer');
    return user;
  }

  private async broadcast(
    threadId: string,
    item: string,
    form: Record<string, unknown>,
    clientContext: string,
  ): Promise<SendResult> {
    let body: unknown;
    try {
      body = await this.ig.directThread.broadcast({
        threadIds: [threadId],
        item,
        form: {
          ...form,
          client_context: clientContext,
          mutation_token: clientContext,
          offline_threading_id: clientContext,
        },
      } as never);
    } catch (error) {
      throw this.error(error);
    }
    const payload = obj(obj(body)?.payload) ?? {};
    const itemId = idString(payload.item_id);
    if (!itemId) throw new RejectedError(200, str(payload.message) ?? 'the message was not accepted');
    return {
      itemId,
      threadId: idString(payload.thread_id) ?? threadId,
      clientContext: str(payload.client_context) ?? clientContext,
      sentAt: igTimeToMs(payload.timestamp) ?? Date.now(),
    };
  }

  sendText(threadId: string, text: string, clientContext: string): Promise<SendResult> {
    const urls = text.match(URL_IN_TEXT);
    if (urls)
      return this.broadcast(threadId, 'link', { link_text: text, link_urls: JSON.stringify(urls) }, clientContext);
    return this.broadcast(threadId, 'text', { text }, clientContext);
  }

  async sendPhoto(threadId: string, jpeg: Buffer, clientContext: string): Promise<SendResult> {
    let uploadId: string;
    try {
      const upload = await this.ig.upload.photo({ file: jpeg });
      uploadId = String(upload.upload_id);
    } catch (error) {
      throw this.error(error);
    }
    return this.broadcast(
      threadId,
      'configure_photo',
      { allow_full_aspect_ratio: true, upload_id: uploadId },
      clientContext,
    );
  }

  async downloadMedia(url: string): Promise<Buffer> {
    if (!/^https?:\/\//i.test(url)) throw new RejectedError(0, 'not a media URL');
    const requestLayer = this.ig.request as unknown as {
      faultTolerantRequest(options: object): Promise<{ statusCode: number; body: Buffer }>;
    };
    const proxy = (this.ig.state as unknown as { proxyUrl?: string }).proxyUrl;
    // Media come from a CDN host: an unreachable one is named, not the API's.
    const mediaError = (error: unknown) => toInstagramError(error, url);
    return this.options.gate
      .run(async () => {
        const response = await requestLayer.faultTolerantRequest({
          uri: url,
          method: 'GET',
          encoding: null,
          resolveWithFullResponse: true,
          simple: false,
          gzip: true,
          strictSSL: true,
          timeout: this.options.timeoutMs,
          proxy,
          headers: { 'User-Agent': this.ig.state.appUserAgent },
        });
        if (response.statusCode < 200 || response.statusCode >= 300) {
          throw Object.assign(new Error(`download failed with HTTP ${response.statusCode}`), {
            response: { statusCode: response.statusCode, body: '' },
          });
        }
        return Buffer.isBuffer(response.body) ? response.body : Buffer.from(response.body);
      }, mediaError)
      .catch((error: unknown) => {
        throw mediaError(error);
      });
  }

  async serializeSession(): Promise<string> {
    if (!this.hasSessionCookie()) throw new NotLoggedInError();
    return encodeSession(this.ig, this.viewer);
  }

  sessionUserId(): string | null {
    if (this.viewer.id) return this.viewer.id;
    try {
      return this.ig.state.cookieUserId;
    } catch {
      return null;
    }
  }
}
