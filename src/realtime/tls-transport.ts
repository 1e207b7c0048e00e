// The socket under instagram_mqtt, owned by igtg. The library's MQTToTClient builds an mqtts
// TlsTransport for the hard-coded host edge-mqtt.facebook.com:443
// (instagram_mqtt dist/constants.js REALTIME.HOST_NAME_V6, dist/mqttot/mqttot.client.js
// `port: 443`), and that transport calls `tls.connect()` without an 'error' listener
// (mqtts dist/transport/tls.transport.js): a refused or reset connection or a bad certificate
// while connecting emits an unhandled 'error' and kills the process, and its promise never settles.
//
// `installTransport()` replaces the client's transport object (the `transport` field of
// mqtts' MqttClient, same duck type: connect(), reset(), duplex, active) right after
// `RealtimeClient.connect()` created the client and before it uses it (MQTToTClient.connect
// first awaits the deflated CONNECT payload, so the swap always happens in time; it is checked).
// This one connects to the configured target, verifies the certificate as usual (system roots,
// NODE_EXTRA_CA_CERTS, or the given `ca`), checks the name against the configured host, rejects
// its promise on failure and keeps an 'error' listener for the socket's whole life.
import { isIP } from 'node:net';
import tls, { type TLSSocket } from 'node:tls';
import type { RealtimeTarget } from './realtime-url.js';

export interface TransportOptions {
  target: RealtimeTarget;
  /** Extra trusted certificates (PEM), added to the default roots. */
  extraCa?: string | Buffer | null;
  /** Socket errors after the connection was set up (the MQTT pipeline also sees them). */
  onSocketError?: (error: Error) => void;
}

export class RedirectedTlsTransport {
  duplex: TLSSocket | undefined;

  constructor(private readonly options: TransportOptions) {}

  get active(): boolean {
    return !!this.duplex && !this.duplex.destroyed;
  }

  reset(): void {
    if (this.duplex && !this.duplex.destroyed) this.duplex.destroy();
    this.duplex = undefined;
  }

  connect(): Promise<void> {
    return new Promise((resolve, reject) => {
      if (this.duplex) {
        reject(new Error('realtime transport is still connected'));
        return;
      }
      const { host, port } = this.options.target;
      const extraCa = this.options.extraCa;
      const socket = tls.connect({
        host,
        port,
        // SNI only for names (an IP address as server name is not allowed by RFC 6066); the
        // certificate is checked against `host` either way.
        servername: isIP(host) ? undefined : host,
        ca: extraCa ? [...tls.rootCertificates, extraCa.toString()] : undefined,
        rejectUnauthorized: true,
      });
      this.duplex = socket;
      let settled = false;
      socket.on('error', (error) => {
        if (!settled) {
          settled = true;
          socket.destroy();
          reject(error);
          return;
        }
        this.options.onSocketError?.(error);
      });
      socket.once('close', () => {
        if (!settled) {
          settled = true;
          reject(new Error('realtime connection closed while connecting'));
        }
      });
      socket.once('secureConnect', () => {
        if (settled) return;
        settled = true;
        resolve();
      });
    });
  }
}

interface SwappableClient {
  transport: { duplex?: unknown };
  reconnectStrategy?: unknown;
}

/**
 * Puts igtg's transport under the library's MQTT client and turns the library's own reconnects
 * off for good: `autoReconnect: false` alone still reconnects after a CONNACK with
 * IdentifierRejected/ServerUnavailable (mqtts reconnect-strategy default `check()`), and its
 * reconnects would re-subscribe with a stale iris seq_id.
 */
export function installTransport(mqttClient: unknown, transport: RedirectedTlsTransport): void {
  const client = mqttClient as SwappableClient;
  if (!client || typeof client !== 'object' || !client.transport) {
    throw new Error('instagram_mqtt changed: no MQTT client transport to redirect');
  }
  if (client.transport.duplex)
    throw new Error('instagram_mqtt changed: the transport connected before it could be redirected');
  client.transport = transport as unknown as SwappableClient['transport'];
  client.reconnectStrategy = { check: () => false, wait: async () => undefined, reset: () => undefined };
}
