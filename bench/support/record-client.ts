/**
 * The client side of `bench/record.ts`, in its own process so its CPU time is its own: a
 * SimulatedPhone with `legs` ringing legs (leg-0, leg-1, …) served by a bridge client on
 * 127.0.0.1:PORT, recording to FILE when one is given. The parent asks over IPC for this process's
 * CPU time ('cpu') and for a clean close ('close': the client closes, the trace is flushed).
 */
import { createBridgeClient } from '../../src/client/index.js';
import { SimulatedPhone } from '../../src/phone/simulated/index.js';

const [port, legs, file] = process.argv.slice(2);
const phone = new SimulatedPhone();
const client = createBridgeClient({ host: '127.0.0.1', port: Number(port), phone, ...(file ? { record: { file } } : {}) });
for (let i = 0; i < Number(legs); i++) phone.ring({ number: `+1555000${String(i).padStart(4, '0')}`, name: `Caller ${i}` }, { id: `leg-${i}` });

process.on('message', (message) => {
  if (message === 'cpu') {
    const { user, system } = process.cpuUsage();
    process.send?.({ cpuMicros: user + system });
  } else if (message === 'close') {
    void client.close().then(async () => {
      await phone.close();
      process.send?.({ closed: true }, () => process.exit(0));
    });
  }
});
process.send?.({ ready: true });
