// A RealtimeReceiver in its own process, for the clean-shutdown test: it trusts the broker only
// through NODE_EXTRA_CA_CERTS, prints what happens, stops after the first item and must then exit
// by itself (an open socket or timer would keep it alive).
import { RealtimeReceiver } from '../../../src/realtime/realtime-receiver.js';

let rejections = 0;
process.on('unhandledRejection', (reason) => {
  rejections += 1;
  console.log(`unhandled ${String(reason)}`);
  process.exitCode = 3;
});

const receiver = new RealtimeReceiver({
  fetchIrisSnapshot: async () => ({ seqId: 7, snapshotAtMs: 1547815538244 }),
  env: process.env,
  watchdogMs: 5000,
  backoffBaseMs: 50,
});

let stopping = false;
receiver.start(process.env.REALTIME_TEST_SESSION ?? '', {
  onItem: (message) => {
    console.log(`item ${message.text}`);
    if (stopping) return;
    stopping = true;
    void receiver.stop().then(() => console.log(`stopped rejections=${rejections}`));
  },
  onState: (state) => {
    if (state.connected) console.log('connected');
    else if (state.lastError) console.log(`down ${state.lastError}`);
  },
});
