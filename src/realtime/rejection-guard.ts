// A scoped safety net for rejections the realtime library leaves unhandled. Known ones:
// RealtimeClient.connect's `Promise.all(subscriptions).then(resolve)` without a catch (a drop
// between CONNACK and the iris PUBACK rejects with AbortError — igtg never passes subscriptions
// to connect() so that path stays idle), its async 'message' listener (a malformed payload on
// a JSON topic rejects), and its inflating of every publish (tryUnzipAsync returns zlib's promise
// without awaiting it, so a corrupt deflate stream rejects with a bare zlib error whose stack names
// only Node's internals: recognised by its Z_ code). igtg catches at the source; this guard only exists while a receiver runs
// and only swallows errors that come from instagram_mqtt/mqtts. Anything else keeps Node's
// default: when no other listener exists it is rethrown as an uncaught exception.

const LIBRARY_ERRORS = new Set([
  'AbortError',
  'FlowStoppedError',
  'ClientDisconnectedError',
  'ConnectionFailedError',
  'EmptyPacketError',
  'ConnectError',
  'IllegalStateError',
  'EndOfStreamError',
  'UnexpectedPacketError',
  'MalformedPacketError',
  'IgCookieNotFoundError',
]);

const LIBRARY_PATH = /[\\/]node_modules[\\/](instagram_mqtt|mqtts)[\\/]/;

export function isRealtimeLibraryError(reason: unknown): boolean {
  if (!(reason instanceof Error)) return false;
  if (LIBRARY_PATH.test(reason.stack ?? '')) return true;
  if (/^Z_[A-Z_]+$/.test(String((reason as NodeJS.ErrnoException).code))) return true;
  return LIBRARY_ERRORS.has(reason.name) || LIBRARY_ERRORS.has(reason.constructor?.name ?? '');
}

type Reporter = (reason: unknown) => void;

const reporters = new Set<Reporter>();

function onUnhandled(reason: unknown): void {
  if (isRealtimeLibraryError(reason)) {
    for (const report of reporters) report(reason);
    return;
  }
  if (process.listenerCount('unhandledRejection') <= 1) {
    // Only this guard is listening: behave like Node without it.
    process.nextTick(() => {
      throw reason;
    });
  }
}

/** Installs the guard until the returned function is called (reference-counted). */
export function guardRealtimeRejections(report: Reporter): () => void {
  if (reporters.size === 0) process.on('unhandledRejection', onUnhandled);
  reporters.add(report);
  let released = false;
  return () => {
    if (released) return;
    released = true;
    reporters.delete(report);
    if (reporters.size === 0) process.off('unhandledRejection', onUnhandled);
  };
}
