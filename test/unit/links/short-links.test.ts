import fc from 'fast-check';
import { newShortCode } from '../../../shared/app/links/short-code';
import { isAutomatedAgent, isCountedClick, SCANNER_WINDOW_MS } from '../../../shared/domain/links/click-filter';
import {
  SHORT_CODE_LENGTH,
  shortenLinks,
  shortLinkBase,
  withPlaceholderLinks,
} from '../../../shared/domain/links/short-links';
import { SHORT_CODE } from '../../../shared/domain/links/tracked-link.schema';
import { linkIssues } from '../../../shared/domain/links/tracked-urls';
import { measureSegments } from '../../../shared/domain/sms/segments';

const BASE = 'http://127.0.0.1:3000/l/';

describe('short codes', () => {
  it('are 12 URL-safe characters (72 random bits), different every time', () => {
    // Act
    const codes = Array.from({ length: 2000 }, () => newShortCode());

    // Assert
    for (const code of codes) expect(code).toMatch(SHORT_CODE);
    expect(new Set(codes).size).toBe(codes.length);
    expect(SHORT_CODE_LENGTH).toBe(12);
  });
});

describe('shortenLinks', () => {
  it('replaces each link in order with its own code and keeps the text around it', () => {
    // Arrange
    let n = 0;

    // Act
    const out = shortenLinks(
      'See https://a.example.com/x?y=1, and example.org/hours.',
      BASE,
      () => `code${++n}aaaaaaa`,
    );

    // Assert
    expect(out.text).toBe(`See ${BASE}code1aaaaaaa, and ${BASE}code2aaaaaaa.`);
    expect(out.links).toEqual([
      { index: 0, url: 'https://a.example.com/x?y=1', code: 'code1aaaaaaa' },
      { index: 1, url: 'example.org/hours', code: 'code2aaaaaaa' },
    ]);
  });

  it('counts exactly: the placeholder text has the segments of any real codes', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom('Hi ', 'https://shop.example.com/a?b=c ', 'x.com ', 'é ', 'café ', '🙂 ', 'word '), {
          maxLength: 40,
        }),
        (parts) => {
          // Arrange
          const text = parts.join('');

          // Act
          const placeholder = withPlaceholderLinks(text, BASE);
          const real = shortenLinks(text, BASE, () => newShortCode()).text;

          // Assert
          expect(measureSegments(real)).toEqual(measureSegments(placeholder));
        },
      ),
    );
  });

  it('uses the tenant’s own short domain over the default', () => {
    expect(shortLinkBase('go.example.com', BASE)).toBe('https://go.example.com/l/');
    expect(shortLinkBase(null, 'http://127.0.0.1:3000/l')).toBe(BASE);
  });
});

describe('linkIssues', () => {
  it.each([
    ['Visit https://example.com/a today', []],
    ['Visit example.com/a today', []],
    ['Hi {{contact.first_name}} see https://x.example.com/?n={{contact.first_name}}', []],
    ['Get ftp://example.com/file', ['has a link that is not http or https: ftp://example.com/file']],
    [
      'Try https://bob:pw@example.com/',
      ['has a link with a user name or password in it (user:password@host); remove them'],
    ],
    [`Long https://example.com/${'a'.repeat(2048)}`, ['has a link longer than 2048 characters']],
  ])('%s', (text, issues) => {
    expect(linkIssues(text)).toEqual(issues);
  });
});

describe('click filter', () => {
  const sentAt = '2026-03-04T19:00:00.000Z';
  const at = (ms: number) => new Date(Date.parse(sentAt) + ms);
  const browser = 'Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 Chrome/130 Mobile Safari/537.36';

  it.each([
    ['', true],
    ['facebookexternalhit/1.1', true],
    ['WhatsApp/2.23', true],
    ['Slackbot-LinkExpanding 1.0', true],
    ['TelegramBot (like TwitterBot)', true],
    ['python-requests/2.31', true],
    ['Go-http-client/1.1', true],
    [browser, false],
    ['curl/8.5.0', false],
  ])('user agent %j automated: %s', (agent, automated) => {
    expect(isAutomatedAgent(agent)).toBe(automated);
  });

  it('does not count a click within the scanner window of the send or of the delivery', () => {
    expect(isCountedClick({ userAgent: browser, at: at(SCANNER_WINDOW_MS - 1), sentAt })).toBe(false);
    expect(isCountedClick({ userAgent: browser, at: at(SCANNER_WINDOW_MS), sentAt })).toBe(true);
    const deliveredAt = at(60_000).toISOString();
    expect(isCountedClick({ userAgent: browser, at: at(61_000), sentAt, deliveredAt })).toBe(false);
    expect(isCountedClick({ userAgent: browser, at: at(62_000), sentAt, deliveredAt })).toBe(true);
  });
});
