/**
 * Segment counting benchmark: our GSM-7/UCS-2 segment counter against the npm package `sms-segments-calculator`
 * over the same deterministic corpus, with every disagreement explained from 3GPP TS 23.038/23.040.
 * Prints progress, a mismatch breakdown, and as its last line one JSON object with the figures.
 * `BENCH_MESSAGES` overrides the corpus size (default 100 000).
 */
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import {
  compileTemplate,
  countSegments,
  estimateAudienceSegments,
  GSM_PART_SEPTETS,
  gsmSeptetsOf,
  measureSegments,
  splitIntoSegments,
  type TemplateContact,
  UCS2_PART_UNITS,
} from '../shared/domain/sms';

const MESSAGES = Number(process.env.BENCH_MESSAGES ?? 100_000);
const SEED = 0x5e6d3a7;
const OUR_ROUNDS = 5;
const PEER_WORKERS = 2;

type Rng = () => number;

/** mulberry32: a small seeded PRNG, so every run measures the same corpus. */
function createRng(seed: number): Rng {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = (
  'hi hello your order is ready for pickup today sale ends tonight get off everything in store and online ' +
  'appointment tomorrow at reply confirm visit us new arrivals just landed thanks for shopping with we miss you ' +
  'come back enjoy free shipping on orders over limited time only book now see you soon team code'
).split(' ');
const GSM_SPECIALS = [
  '£',
  '$',
  '@',
  '!',
  '?',
  '%',
  '&',
  '#',
  'é',
  'è',
  'à',
  'ü',
  'ñ',
  'Ä',
  'Ö',
  'ß',
  'Ø',
  'Å',
  'Δ',
  'Ω',
  '¿',
  '¡',
  '§',
  '_',
  '"',
  "'",
  ':',
  ';',
  '(',
  ')',
  '+',
  '-',
  '/',
];
const EXTENSION = ['€', '{', '}', '[', ']', '~', '|', '^', '\\'];
const UCS2_CHARACTERS = [
  '’',
  '‘',
  '“',
  '”',
  '—',
  '–',
  '…',
  '•',
  '\u00a0',
  'ç',
  'á',
  'í',
  'ó',
  'ú',
  'ã',
  'ł',
  'ő',
  'ë',
  '✨',
  '☕',
  '™',
];
const UCS2_WORDS = ['привет', 'καλημέρα', '你好', 'مرحبا', 'नमस्ते', 'こんにちは', 'Ελλάδα', 'Привет!'];
const EMOJI = ['😀', '🎉', '👍', '👍🏽', '❤️', '👨‍👩‍👧‍👦', '🇺🇸', '🇫🇷', '1️⃣', '🏳️‍🌈', '🙏🏻', '🔥', '🛍️', '👩🏾‍💻'];

interface Corpus {
  texts: string[];
  kinds: string[];
}

function pick<T>(rng: Rng, items: readonly T[]): T {
  return items[Math.floor(rng() * items.length)]!;
}

function between(rng: Rng, min: number, max: number): number {
  return min + Math.floor(rng() * (max - min + 1));
}

function gsmText(rng: Rng, length: number): string {
  let text = '';
  while (text.length < length) {
    const roll = rng();
    text += roll < 0.08 ? pick(rng, GSM_SPECIALS) : pick(rng, WORDS);
    text += rng() < 0.1 ? pick(rng, ['. ', ', ', '! ', '\n']) : ' ';
  }
  return text.slice(0, length);
}

function sprinkle(rng: Rng, text: string, pieces: readonly string[], count: number): string {
  let result = text;
  for (let i = 0; i < count; i++) {
    const at = Math.floor(rng() * (result.length + 1));
    result = result.slice(0, at) + pick(rng, pieces) + result.slice(at);
  }
  return result;
}

/** Places `piece` so that it starts exactly at a UTF-16 offset of a part boundary (or one before it). */
function atBoundary(rng: Rng, fill: (length: number) => string, boundary: number, piece: string, tail: number): string {
  const offset = boundary - between(rng, 0, 1);
  return fill(offset) + piece + fill(tail);
}

/** A realistic mix: mostly short texts, some around the part limits, a few long ones. */
function generateCorpus(size: number): Corpus {
  const rng = createRng(SEED);
  const texts: string[] = [];
  const kinds: string[] = [];
  const cyrillic = (length: number) => 'привет мир '.repeat(Math.ceil(length / 11) + 1).slice(0, length);
  const gsm = (length: number) => gsmText(rng, length);
  for (let i = 0; i < size; i++) {
    const roll = rng();
    let kind: string;
    let text: string;
    if (roll < 0.3) {
      kind = 'gsm';
      text = gsm(between(rng, 10, 120));
    } else if (roll < 0.42) {
      kind = 'gsm-extension';
      text = sprinkle(rng, gsm(between(rng, 20, 130)), EXTENSION, between(rng, 1, 4));
    } else if (roll < 0.57) {
      kind = 'ucs2';
      text = sprinkle(rng, gsm(between(rng, 20, 130)), UCS2_CHARACTERS, between(rng, 1, 3));
    } else if (roll < 0.62) {
      kind = 'ucs2-script';
      text = sprinkle(rng, gsm(between(rng, 5, 60)), UCS2_WORDS, between(rng, 1, 6));
    } else if (roll < 0.77) {
      kind = 'emoji';
      text = sprinkle(rng, gsm(between(rng, 10, 130)), EMOJI, between(rng, 1, 4));
    } else if (roll < 0.82) {
      kind = 'crlf';
      text = `${gsm(between(rng, 20, 120)).replace(/\n/g, '\r\n')}\r\nReply STOP to opt out`;
    } else if (roll < 0.87) {
      kind = 'gsm-boundary';
      const length = pick(rng, [159, 160, 161, 162, 159, 160, 161, 162, 305, 306, 307]);
      text = rng() < 0.5 ? gsm(length) : atBoundary(rng, gsm, GSM_PART_SEPTETS - 1, pick(rng, EXTENSION), length - 153);
    } else if (roll < 0.97) {
      kind = 'ucs2-boundary';
      const fill = rng() < 0.5 ? cyrillic : (length: number) => sprinkle(rng, gsm(length - 1), UCS2_CHARACTERS, 1);
      const length = pick(rng, [69, 70, 71, 72, 133, 134, 135]);
      text = rng() < 0.4 ? fill(length) : atBoundary(rng, fill, UCS2_PART_UNITS - 1, pick(rng, EMOJI), length - 67);
    } else {
      kind = 'long';
      text = gsm(between(rng, 170, 400));
      const flavour = rng();
      if (flavour < 0.3) text = sprinkle(rng, text, EXTENSION, between(rng, 1, 8));
      else if (flavour < 0.6) text = sprinkle(rng, text, EMOJI, between(rng, 1, 6));
      else if (flavour < 0.8) text = sprinkle(rng, text, UCS2_CHARACTERS, between(rng, 1, 4));
    }
    texts.push(text);
    kinds.push(kind);
  }
  return { texts, kinds };
}

/** Best of several rounds, in messages per second, so JIT warm-up and GC noise do not count against us. */
function timeOurs(texts: readonly string[], count: (text: string) => number): { rate: number; checksum: number } {
  let best = Number.POSITIVE_INFINITY;
  let checksum = 0;
  for (let round = 0; round < OUR_ROUNDS; round++) {
    const start = performance.now();
    let sum = 0;
    for (const text of texts) sum += count(text);
    best = Math.min(best, performance.now() - start);
    checksum = sum;
  }
  return { rate: texts.length / (best / 1000), checksum };
}

const PEER_WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const { performance } = require('node:perf_hooks');
const { SegmentedMessage } = require(workerData.peerPath);
const texts = workerData.texts;
const segments = new Int32Array(texts.length);
const ucs2 = new Uint8Array(texts.length);
const start = performance.now();
for (let i = 0; i < texts.length; i++) {
  const message = new SegmentedMessage(texts[i]);
  segments[i] = message.segmentsCount;
  ucs2[i] = message.encodingName === 'UCS-2' ? 1 : 0;
  if (i % 5000 === 4999) parentPort.postMessage({ progress: 5000 });
}
parentPort.postMessage({ done: true, segments, ucs2, elapsed: performance.now() - start });
`;

interface PeerAnswers {
  segments: Int32Array;
  ucs2: Uint8Array;
  /** Summed time of the worker threads: what one thread would need for the whole corpus. */
  threadMillis: number;
}

/**
 * The peer is quadratic in message length (it re-sums a segment for each character it adds), so its share of the
 * corpus is spread over worker threads to keep the run short; its rate is still reported per thread.
 */
async function runPeer(texts: readonly string[]): Promise<PeerAnswers> {
  const peerPath = require.resolve('sms-segments-calculator');
  const chunk = Math.ceil(texts.length / PEER_WORKERS);
  const segments = new Int32Array(texts.length);
  const ucs2 = new Uint8Array(texts.length);
  let threadMillis = 0;
  let done = 0;
  let lastReport = 0;
  await Promise.all(
    Array.from({ length: PEER_WORKERS }, (_, w) => {
      const offset = w * chunk;
      const slice = texts.slice(offset, offset + chunk);
      return new Promise<void>((resolve, reject) => {
        const worker = new Worker(PEER_WORKER, { eval: true, workerData: { texts: slice, peerPath } });
        worker.on('message', (message) => {
          if (message.progress) {
            done += message.progress;
            if (done - lastReport >= 20_000) {
              lastReport = done;
              console.log(`peer: ${done}/${texts.length} messages`);
            }
            return;
          }
          segments.set(message.segments, offset);
          ucs2.set(message.ucs2, offset);
          threadMillis += message.elapsed;
          resolve();
        });
        worker.on('error', reject);
      });
    }),
  );
  return { segments, ucs2, threadMillis };
}

const graphemeSegmenter = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/** Segments when whole grapheme clusters are kept in one part, as the peer does; used to confirm the explanation. */
function countKeepingGraphemes(text: string): number {
  const single = measureSegments(text).encoding === 'GSM-7' ? 160 : 70;
  const part = single === 160 ? GSM_PART_SEPTETS : UCS2_PART_UNITS;
  const sizes = [...graphemeSegmenter.segment(text)].flatMap(({ segment }) =>
    segment === '\r\n' ? [1, 1] : [single === 160 ? gsmSeptetsOf(segment) : segment.length],
  );
  const total = sizes.reduce((sum, size) => sum + size, 0);
  if (total <= single) return 1;
  let parts = 1;
  let used = 0;
  for (const size of sizes) {
    if (used + size > part) {
      parts++;
      used = 0;
    }
    used += size;
  }
  return parts;
}

/** True when our parts obey the standard: within capacity, no escape pair or surrogate pair split. */
function isLegalSplit(text: string): boolean {
  const parts = splitIntoSegments(text);
  if (parts.join('') !== text) return false;
  const { encoding } = measureSegments(text);
  for (let i = 0; i < parts.length; i++) {
    const current = parts[i]!;
    const units = encoding === 'GSM-7' ? measureSegments(current).units : current.length;
    if (parts.length > 1 && units > (encoding === 'GSM-7' ? GSM_PART_SEPTETS : UCS2_PART_UNITS)) return false;
    const next = parts[i + 1];
    if (next !== undefined && /[\ud800-\udbff]$/.test(current) && /^[\udc00-\udfff]/.test(next)) return false;
  }
  return true;
}

/** The first grapheme cluster our split cuts between two parts, or null. */
function clusterCutByOurSplit(text: string): string | null {
  const clusters = [...graphemeSegmenter.segment(text)];
  let offset = 0;
  for (const part of splitIntoSegments(text)) {
    if (offset > 0) {
      const cut = clusters.find(({ index, segment }) => index < offset && index + segment.length > offset);
      if (cut) return cut.segment;
    }
    offset += part.length;
  }
  return null;
}

function describeCluster(cluster: string): string {
  if (/\u200d/.test(cluster)) return 'ZWJ emoji sequence';
  if (/[\u{1f3fb}-\u{1f3ff}]/u.test(cluster)) return 'emoji + skin tone';
  if (/[\u{1f1e6}-\u{1f1ff}]/u.test(cluster)) return 'flag (regional indicator pair)';
  if (/\u20e3/.test(cluster)) return 'keycap';
  if (/\ufe0f/.test(cluster)) return 'emoji + variation selector';
  return 'base + combining mark';
}

const codePoints = (text: string) =>
  [...text].map((char) => `U+${char.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`).join(' ');

function benchAudience(): string {
  const template = compileTemplate(
    'Hi {{contact.first_name | default: "there"}}, Acme here: your {{contact.tier}} reward is waiting at ' +
      'acme.com/r. Reply STOP to opt out',
  );
  const rng = createRng(SEED + 1);
  const names = ['Ann', 'José', 'Zoë', 'Łukasz', 'Maximilian-Alexander', '', 'Chloé 🌸', 'Bob'];
  const contacts: TemplateContact[] = Array.from({ length: 100_000 }, () => ({
    firstName: pick(rng, names),
    customFields: { tier: pick(rng, ['gold', 'silver', 'platinum {VIP}', 'bronze']) },
  }));
  const start = performance.now();
  const summary = estimateAudienceSegments(template, contacts);
  const millis = performance.now() - start;
  return `audience: ${summary.contacts} contacts in ${millis.toFixed(1)} ms, worst case ${summary.worstCase.segments} segments (${summary.worstCase.contacts} contacts), ${summary.estimatedSegments} segments in total`;
}

async function main(): Promise<void> {
  const generationStart = performance.now();
  const corpus = generateCorpus(MESSAGES);
  const kinds = new Map<string, number>();
  for (const kind of corpus.kinds) kinds.set(kind, (kinds.get(kind) ?? 0) + 1);
  console.log(
    `corpus: ${MESSAGES} messages (seed ${SEED}) in ${(performance.now() - generationStart).toFixed(0)} ms: ` +
      [...kinds].map(([kind, count]) => `${kind} ${count}`).join(', '),
  );

  timeOurs(corpus.texts.slice(0, 20_000), (text) => countSegments(text) + measureSegments(text).segments);
  const counted = timeOurs(corpus.texts, countSegments);
  console.log(`ours countSegments: ${Math.round(counted.rate)} msgs/s (checksum ${counted.checksum} segments)`);
  const measured = timeOurs(corpus.texts, (text) => measureSegments(text).segments);
  console.log(`ours measureSegments (encoding, segments, units): ${Math.round(measured.rate)} msgs/s`);
  console.log(benchAudience());

  console.log(`peer: counting ${MESSAGES} messages on ${PEER_WORKERS} worker threads...`);
  const peer = await runPeer(corpus.texts);
  const peerRate = MESSAGES / (peer.threadMillis / 1000);
  console.log(`peer sms-segments-calculator: ${Math.round(peerRate)} msgs/s per thread`);

  const categories = new Map<string, { count: number; example: string }>();
  let mismatches = 0;
  let illegal = 0;
  for (let i = 0; i < MESSAGES; i++) {
    const text = corpus.texts[i]!;
    const ours = measureSegments(text);
    const peerSegments = peer.segments[i]!;
    const peerEncoding = peer.ucs2[i] === 1 ? 'UCS-2' : 'GSM-7';
    if (ours.segments === peerSegments && ours.encoding === peerEncoding) continue;
    mismatches++;
    if (!isLegalSplit(text)) illegal++;
    let category: string;
    let example = JSON.stringify(text.length > 60 ? `${text.slice(0, 60)}...` : text);
    const cut = peerSegments > ours.segments ? clusterCutByOurSplit(text) : null;
    if (ours.encoding !== peerEncoding) category = `encoding: ours ${ours.encoding}, peer ${peerEncoding}`;
    else if (cut !== null && countKeepingGraphemes(text) === peerSegments) {
      category = `${ours.encoding}, peer +${peerSegments - ours.segments}: grapheme cluster (${describeCluster(cut)}) across a part boundary: peer moves it whole, we split it between code points`;
      example = `${cut} (${codePoints(cut)})`;
    } else category = `unexplained: ours ${ours.segments}, peer ${peerSegments}`;
    const entry = categories.get(category) ?? { count: 0, example };
    entry.count++;
    categories.set(category, entry);
  }

  console.log(`mismatches: ${mismatches} of ${MESSAGES} (ours illegal per TS 23.040: ${illegal})`);
  for (const [category, { count, example }] of categories) {
    console.log(`  ${count} x ${category}; e.g. ${example}`);
  }
  const ratio = measured.rate / peerRate;
  console.log(
    JSON.stringify({
      bench: 'segments',
      messages: MESSAGES,
      ours: Math.round(measured.rate),
      peer: Math.round(peerRate),
      ratio: Math.round(ratio * 10) / 10,
      mismatches,
    }),
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
