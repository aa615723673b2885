/** The next leg a phone announces (inbound or dialled): one listener, removed once it has fired. */
import type { Phone, TelephonyLeg } from '../../src/phone/types.js';

export function nextLeg(phone: Pick<Phone, 'onLeg'>): Promise<TelephonyLeg> {
  return new Promise((resolve) => {
    const off = phone.onLeg((leg) => {
      off();
      resolve(leg);
    });
  });
}
