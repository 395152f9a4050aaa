import { demoContacts, SIMULATOR_NUMBERS } from '../../../local/demo-contacts';

describe('the demo tenant’s contacts', () => {
  it('the simulator numbers the README texts and answers from are opted-in VIPs, so the walk-through reaches them', () => {
    const contacts = demoContacts(300);
    for (const phone of Object.values(SIMULATOR_NUMBERS)) {
      expect(contacts.find((c) => c.phone === phone)).toMatchObject({
        smsConsent: 'opted_in',
        tags: expect.arrayContaining(['VIP']),
      });
    }
  });

  it('are the same on every load, with unique valid numbers', () => {
    const first = demoContacts(300);
    expect(demoContacts(300)).toEqual(first);
    expect(new Set(first.map((c) => c.phone)).size).toBe(300);
  });
});
