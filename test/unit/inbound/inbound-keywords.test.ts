import fc from 'fast-check';
import type { ConsentStatus } from '../../../shared/domain/contacts/contact.schema';
import {
  classifyInbound,
  HELP_KEYWORDS,
  OPT_IN_KEYWORDS,
  OPT_OUT_KEYWORDS,
} from '../../../shared/domain/inbound/inbound-keywords';

const CONSENTS: ConsentStatus[] = ['opted_in', 'opted_out', 'unknown'];
const ALL_KEYWORDS = new Set<string>([...OPT_OUT_KEYWORDS, ...OPT_IN_KEYWORDS, ...HELP_KEYWORDS]);

describe('classifyInbound keywords', () => {
  it.each(OPT_OUT_KEYWORDS.flatMap((keyword) => CONSENTS.map((consent) => [keyword, consent] as const)))(
    'classifies %s as opt-out whatever the consent (%s)',
    (keyword, consent) => {
      // Act
      const result = classifyInbound(keyword, consent);

      // Assert
      expect(result).toEqual({ kind: 'optOut', keyword });
    },
  );

  it.each(['START', 'UNSTOP'] as const)('classifies %s as opt-in', (keyword) => {
    for (const consent of CONSENTS) {
      // Assert
      expect(classifyInbound(keyword, consent)).toEqual({ kind: 'optIn', keyword });
    }
  });

  it('opts in with YES only a sender who is opted out', () => {
    // Assert
    expect(classifyInbound('yes', 'opted_out')).toEqual({ kind: 'optIn', keyword: 'YES' });
    expect(classifyInbound('Yes!', 'opted_out')).toEqual({ kind: 'optIn', keyword: 'YES' });
    expect(classifyInbound('YES', 'opted_in')).toEqual({ kind: 'reply' });
    expect(classifyInbound('yes', 'unknown')).toEqual({ kind: 'reply' });
    expect(classifyInbound('yes please', 'opted_out')).toEqual({ kind: 'reply' });
  });

  it.each(HELP_KEYWORDS)('classifies %s as help', (keyword) => {
    for (const consent of CONSENTS) {
      // Assert
      expect(classifyInbound(keyword, consent)).toEqual({ kind: 'help', keyword });
      expect(classifyInbound(` ${keyword.toLowerCase()}? `, consent)).toEqual({ kind: 'help', keyword });
    }
  });

  it.each([
    ['Stop!', 'STOP'],
    [' stop. ', 'STOP'],
    ["'STOP'", 'STOP'],
    ['STOP\n', 'STOP'],
    ['"Stop"', 'STOP'],
    ['\tsToP!!! 😡', 'STOP'],
    ['\u201cstop\u201d', 'STOP'],
    ['(stop)', 'STOP'],
    ['\u200bSTOP\u200b', 'STOP'],
    ['\uff33\uff34\uff2f\uff30', 'STOP'],
    ['opt-out', 'OPT-OUT'],
    ['Opt\u2013Out', 'OPT-OUT'],
    ['optout', 'OPTOUT'],
    ['Arrêt', 'ARRET'],
    ['ARRÊT.', 'ARRET'],
    ['td', 'TD'],
    ['unsubscribe.', 'UNSUBSCRIBE'],
    ['Quıt', 'QUIT'],
  ])('reads %j as the keyword %s', (body, keyword) => {
    // Assert
    expect(classifyInbound(body, 'opted_in')).toEqual({ kind: 'optOut', keyword });
  });

  it.each(['Start.', ' start ', 'UNSTOP!', '"unstop"'])('reads %j as an opt-in keyword', (body) => {
    // Assert
    expect(classifyInbound(body, 'opted_out')).toMatchObject({ kind: 'optIn' });
  });

  it.each(['stop it now', 'STOP STOP', 'stop all', 'opt out', 'S T O P'])(
    'does not take %j for the exact keyword',
    (body) => {
      // Assert
      expect(classifyInbound(body, 'opted_in').kind).not.toBe('optOut');
    },
  );

  it('treats an empty or blank message as a reply', () => {
    // Assert
    expect(classifyInbound('', 'opted_in')).toEqual({ kind: 'reply' });
    expect(classifyInbound('  \n ', 'opted_in')).toEqual({ kind: 'reply' });
    expect(classifyInbound('!!!', 'opted_in')).toEqual({ kind: 'reply' });
  });
});

describe('classifyInbound free-text revocations', () => {
  it.each([
    'please stop texting me',
    'stop messaging me',
    'unsubscribe me',
    'take me off your list',
    'remove me from this list',
    "don't text me anymore",
    'Don\u2019t text me anymore!',
    'do not contact me',
    'leave me alone',
    'no more texts',
    'opt me out',
    'stop sending me messages',
    'Stop. Wrong number',
    'wrong number, stop',
    'Wrong #',
    'stop it now',
    'Please STOP',
    'STOP STOP STOP',
    'I said stop',
    'stop all',
    'Stop all these messages',
    'STOP ALL MESSAGES',
    'quit texting me',
    'Stop spamming me!!',
    'I want to unsubscribe',
    'How do I unsubscribe?',
    'I unsubscribed already, why am I still getting these?',
    'opt out',
    'I revoke my consent',
    'I withdraw my consent to receive texts',
    'Please remove my number',
    'delete me',
    'get me off this list',
    'put me on your do not call list',
    "I don't want these texts",
    'I no longer wish to receive these messages',
    'I do not want to be contacted',
    'never text me again',
    "don't send me any more texts",
    "I'm sick of your texts",
    'dont text this number',
    'Who is this? I never signed up. STOP',
    'Stop! I never signed up for this',
    'Cancel please',
    "I'd like to stop receiving these",
    'How do I stop getting these texts?',
    'No more',
    'STOOOPPP',
    'Arrête',
    'HELP STOP',
    'Cancel my subscription',
    'Please remove from the mailing list',
    'Lose my number',
    'not interested, please remove',
  ])('reads %j as a revocation', (body) => {
    // Act
    const result = classifyInbound(body, 'opted_in');

    // Assert
    expect(result).toEqual({ kind: 'revocation', phrase: expect.any(String) });
  });

  it('returns the matched phrase', () => {
    // Assert
    expect(classifyInbound('Hi, please stop texting me, thanks', 'opted_in')).toEqual({
      kind: 'revocation',
      phrase: 'stop texting',
    });
    expect(classifyInbound('Stop. Wrong number', 'opted_in')).toEqual({ kind: 'revocation', phrase: 'wrong number' });
  });

  it.each([
    "don't stop the deals coming",
    'can we cancel my appointment?',
    'what time does the store end today',
    'I want to remove an item from my order',
    'yes please stop by tomorrow',
    'Stop by our store today',
    "I can't stop smiling 😊",
    "Don't text and drive!",
    'Please text me the address',
    'How do I cancel my order?',
    "What's the end date of the sale?",
    'Cancel. I cannot make it Tuesday',
    "don't stop texting me, I love the deals",
    "I don't want to unsubscribe, just fewer texts",
    'Sounds good, see you then',
    'No thanks',
    'Can you send me the info?',
    'Is the promo still on?',
    'Please remove item 3 from my cart',
    'remove from my shopping list',
    "I'd like to stop getting charged twice",
    'The deals never stop!',
    'I quit my job lol',
    'The end',
    'td bank is closed',
    'not interested',
    'Who is this?',
  ])('reads %j as an ordinary reply', (body) => {
    // Assert
    expect(classifyInbound(body, 'opted_in')).toEqual({ kind: 'reply' });
  });
});

describe('classifyInbound properties', () => {
  const edge = fc
    .array(
      fc.constantFrom(
        ' ',
        '\t',
        '\n',
        '.',
        '!',
        '?',
        ',',
        '"',
        "'",
        '(',
        ')',
        '*',
        '-',
        '\u2026',
        '\u201c',
        '\u201d',
        '¡',
        '¿',
        '🙏',
      ),
      {
        maxLength: 5,
      },
    )
    .map((chars) => chars.join(''));
  const randomCase = (text: string) =>
    fc
      .array(fc.boolean(), { minLength: text.length, maxLength: text.length })
      .map((upper) => [...text].map((char, i) => (upper[i] ? char.toUpperCase() : char.toLowerCase())).join(''));
  const keyword = fc.constantFrom(...ALL_KEYWORDS);

  it("classifies a keyword, whatever its casing and surroundings, as the keyword's kind", () => {
    fc.assert(
      fc.property(
        keyword.chain((word) => fc.tuple(fc.constant(word), edge, randomCase(word), edge)),
        fc.constantFrom(...CONSENTS),
        ([word, before, cased, after], consent) => {
          // Act
          const result = classifyInbound(`${before}${cased}${after}`, consent);

          // Assert
          if ((OPT_OUT_KEYWORDS as readonly string[]).includes(word)) {
            expect(result).toEqual({ kind: 'optOut', keyword: word });
          } else if ((HELP_KEYWORDS as readonly string[]).includes(word)) {
            expect(result).toEqual({ kind: 'help', keyword: word });
          } else if (word !== 'YES' || consent === 'opted_out') {
            expect(result).toEqual({ kind: 'optIn', keyword: word });
          } else {
            expect(result).toEqual({ kind: 'reply' });
          }
        },
      ),
    );
  });

  it('never opts out on a letter sequence that is not exactly an opt-out keyword', () => {
    const randomLetters = fc
      .array(fc.constantFrom(...'abcdeilmnopqrstuvxyzABCDEOPSTU- '), { minLength: 1, maxLength: 14 })
      .map((chars) => chars.join(''));
    // Near misses: a keyword with a letter added, dropped or replaced, or words around it ("stop it now").
    const nearMiss = fc
      .tuple(fc.constantFrom(...OPT_OUT_KEYWORDS), fc.nat(), fc.constantFrom(...'aeiostxyz '))
      .chain(([word, at, letter]) => {
        const i = at % (word.length + 1);
        return fc.constantFrom(
          word.slice(0, i) + letter + word.slice(i),
          word.slice(0, i) + word.slice(i + 1),
          word.slice(0, i) + letter + word.slice(i + 1),
          `${word} it now`,
          `please ${word}`,
        );
      });
    const notAKeyword = fc
      .oneof(randomLetters, nearMiss)
      .filter(
        (text) => !(OPT_OUT_KEYWORDS as readonly string[]).includes(text.replace(/^[\s-]+|[\s-]+$/g, '').toUpperCase()),
      );

    fc.assert(
      fc.property(edge, notAKeyword, edge, fc.constantFrom(...CONSENTS), (before, text, after, consent) => {
        // Assert
        expect(classifyInbound(`${before}${text}${after}`, consent).kind).not.toBe('optOut');
      }),
      { numRuns: 500 },
    );
  });

  it('reads text that can contain no keyword and no revocation phrase as a reply', () => {
    // Letters that spell none of the keywords nor any revocation trigger ("stop", "no more", "wrong", "unsub"...).
    const text = fc
      .array(fc.constantFrom(..."abgkwxyzABGKWXYZ 0123456789.,!?'"), { maxLength: 40 })
      .map((chars) => chars.join(''));

    fc.assert(
      fc.property(text, fc.constantFrom(...CONSENTS), (body, consent) => {
        // Assert
        expect(classifyInbound(body, consent)).toEqual({ kind: 'reply' });
      }),
    );
  });

  it('never throws on any string', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 60 }), fc.constantFrom(...CONSENTS), (body, consent) => {
        // Assert
        expect(() => classifyInbound(body, consent)).not.toThrow();
      }),
    );
  });
});
