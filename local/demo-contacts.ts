/**
 * Deterministic demo contacts: a realistic spread of area codes (and so time zones), tags,
 * consent states and custom fields, plus AWS's simulator numbers.
 */
const FIRST_NAMES = ['Ada', 'Grace', 'Alan', 'Linus', 'Margaret', 'Katherine', 'Dennis', 'Barbara', 'Ken', 'Radia'];
const LAST_NAMES = ['Lovelace', 'Hopper', 'Turing', 'Torvalds', 'Hamilton', 'Johnson', 'Ritchie', 'Liskov', 'Thompson'];
const TAGS = ['Buyer Lead', 'Seller Lead', 'VIP', 'Newsletter', 'Past Client', 'Open House', 'Referral'];
// New York, Chicago, Denver, Phoenix, Los Angeles, Seattle, Miami (FL: 08:00-20:00), Tulsa (OK), Baltimore (MD), Honolulu
const AREA_CODES = ['212', '312', '303', '602', '213', '206', '305', '918', '410', '808', '617', '512', '404', '702'];

/** The numbers AWS End User Messaging SMS simulates: one always delivers, one always fails. */
export const SIMULATOR_NUMBERS = { delivers: '+14254147755', fails: '+14254147167' } as const;

function seeded(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface DemoContact {
  phone: string;
  firstName: string;
  lastName: string;
  tags: string[];
  smsConsent: 'opted_in' | 'unknown';
  customFields: Record<string, string | number | boolean>;
  email?: string;
}

/** Contact number `index` of a demo set; the same index always gives the same contact. */
export function demoContact(index: number, random = seeded(index + 1)): DemoContact {
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)] as T;
  const areaCode = AREA_CODES[index % AREA_CODES.length] as string;
  // Exchange 2xx-9xx and a line derived from the index keep numbers valid and unique up to 8M contacts.
  const exchange = 200 + (Math.floor(index / 10_000) % 800);
  const line = String(index % 10_000).padStart(4, '0');
  const firstName = pick(FIRST_NAMES);
  const tags = TAGS.filter(() => random() < 0.3);
  return {
    phone: `+1${areaCode}${exchange}${line}`,
    firstName,
    lastName: pick(LAST_NAMES),
    tags,
    smsConsent: random() < 0.8 ? 'opted_in' : 'unknown',
    customFields: {
      leadScore: Math.floor(random() * 100),
      city: pick(['Austin', 'Boston', 'Denver', 'Miami', 'Seattle']),
      preApproved: random() < 0.4,
    },
    ...(random() < 0.5 ? { email: `${firstName.toLowerCase()}${index}@example.com` } : {}),
  };
}

/** The demo tenant's contacts: the two simulator numbers first, then `count - 2` generated ones. */
export function demoContacts(count: number): DemoContact[] {
  const simulator: DemoContact[] = [
    {
      ...demoContact(0),
      phone: SIMULATOR_NUMBERS.delivers,
      firstName: 'Sim',
      lastName: 'Delivers',
      tags: ['VIP', 'Simulator'],
      // The README's walk-through texts and answers from this phone: it must be reachable.
      smsConsent: 'opted_in',
    },
    {
      ...demoContact(1),
      phone: SIMULATOR_NUMBERS.fails,
      firstName: 'Sim',
      lastName: 'Fails',
      tags: ['VIP', 'Simulator'],
      smsConsent: 'opted_in',
    },
  ];
  return [...simulator, ...Array.from({ length: Math.max(0, count - 2) }, (_, i) => demoContact(i + 2))].slice(
    0,
    count,
  );
}
