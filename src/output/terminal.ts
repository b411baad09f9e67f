/**
 * The one gate between text and a terminal. Ids, family ids, event codes, headers and file names
 * come from the export, and a control sequence in one would act on the reader's terminal: ESC[2J
 * clears the screen, OSC 52 writes the clipboard, OSC 8 hides a link, CR overwrites a line, U+202E
 * reverses the text after it. Every human-text output (report tables and text written to stdout or
 * a file, everything on stderr, the progress line) passes through here on its way out (see
 * worker.ts and shell.ts), and each control character is shown instead as `\u001b` or `\u202e`.
 * JSON and CSV are data and are written exact. A backslash is left as it is, so a path on Windows
 * still reads as a path.
 */
import { type Chunk } from './fd.js';

// C0 but newline, DEL, C1, and the invisible characters that reorder or break text: the bidi
// embeddings, overrides and isolates, the bidi marks, and the line and paragraph separators.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is this file's purpose
const UNSAFE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]/g;
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is this file's purpose
const UNSAFE_OR_NEWLINE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]/g;

// The styles our own colours use (chalk at level 1: bold, red, green, yellow and their resets).
// Kept when colour is on, so at worst a hostile id can turn some text red or bold.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is this file's purpose
const OUR_STYLES = /(\u001b\[(?:1|22|3[1-3]|39)m)/;

// One form for every character, \u001b, as JSON writes it: the values that messages quote (as
// JSON) read the same as in tables, and a config that inspect suggests stays valid JSON.
const visible = (ch: string): string => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`;

export interface EscapeOptions {
  /** Keep the escape sequences of our own colours (only for a stream that shows colour). */
  colour?: boolean;
  /** Escape newlines too: a table cell or a single value is one line. */
  oneLine?: boolean;
}

/** The text with every control character and bidi override shown as an escape. */
export function escapeControls(text: string, options: EscapeOptions = {}): string {
  const unsafe = options.oneLine ? UNSAFE_OR_NEWLINE : UNSAFE;
  if (!options.colour) return text.replace(unsafe, visible);
  const parts = text.split(OUR_STYLES);
  // split with a capture group: text, style, text, style, ..., text
  for (let i = 0; i < parts.length; i += 2) parts[i] = parts[i].replace(unsafe, visible);
  return parts.join('');
}

/** A report's text chunks, escaped. A chunk is escaped whole, so a style never spans two chunks. */
export function* escapeChunks(chunks: Iterable<Chunk>, options: EscapeOptions = {}): Generator<string> {
  // Text reports are strings; bytes (JSON's) are decoded first, so nothing passes unescaped.
  for (const chunk of chunks)
    yield escapeControls(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'), options);
}

/** What goes to stderr for a progress line: back to the line's start, the text, clear the rest. */
export const progressLine = (text: string, colour: boolean): string =>
  `\r${escapeControls(text, { colour, oneLine: true })}\u001b[K`;
