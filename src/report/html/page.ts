/**
 * The shell of an HTML report: one self-contained file (inline CSS and SVG; no script, font,
 * image or link fetched, and a Content-Security-Policy that forbids any), readable in print on
 * A4 and without colour. Every piece of text from the data goes through `esc`.
 */
import { TOOL } from '../json.js';

// C0 and C1 controls other than tab and newline: no place in a report, some invalid in HTML.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/g;
const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text for HTML content or a quoted attribute. */
export const esc = (value: unknown): string =>
  String(value ?? '')
    .replace(CONTROL, '\ufffd')
    .replace(/[&<>"']/g, (ch) => ENTITIES[ch]);

export interface PageParts {
  title: string;
  subtitle: string;
  /** Label and value rows for the parameters box, as text (escaped here). */
  parameters: [string, string][];
  /** Sections, already HTML. */
  body: string[];
}

const CSS = `
:root { --ink: #1b1f24; --muted: #4a5560; --rule: #c9d1d9; --soft: #f3f5f7; --accent: #1f4e79; --good: #1b6e3a; --bad: #a4262c; --warn: #7a5200; }
* { box-sizing: border-box; }
html { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color: var(--ink); background: #fff; font-size: 15px; line-height: 1.45; }
body { margin: 0 auto; max-width: 1000px; padding: 28px 32px 48px; }
header.report { border-bottom: 3px solid var(--accent); padding-bottom: 14px; margin-bottom: 22px; }
header.report .kicker { text-transform: uppercase; letter-spacing: .08em; font-size: .78rem; color: var(--accent); font-weight: 700; margin: 0; }
h1 { font-size: 1.7rem; margin: 4px 0 2px; }
header.report .subtitle { color: var(--muted); margin: 0 0 12px; }
h2 { font-size: 1.2rem; color: var(--accent); margin: 30px 0 10px; padding-bottom: 4px; border-bottom: 1px solid var(--rule); }
h3 { font-size: 1rem; margin: 18px 0 6px; }
dl.params { display: grid; grid-template-columns: max-content 1fr; gap: 2px 18px; margin: 0; font-size: .9rem; }
dl.params dt { color: var(--muted); }
dl.params dd { margin: 0; }
.headline { display: flex; flex-wrap: wrap; gap: 18px; align-items: stretch; }
.big { border: 1px solid var(--rule); border-left: 6px solid var(--accent); padding: 12px 18px; min-width: 260px; }
.big .figure { font-size: 2.4rem; font-weight: 700; line-height: 1.1; }
.big .what { color: var(--muted); font-size: .9rem; }
.verdict { display: inline-block; margin-top: 8px; padding: 3px 10px; border: 2px solid; font-weight: 700; border-radius: 3px; }
.verdict.met { color: var(--good); border-color: var(--good); }
.verdict.not-met { color: var(--bad); border-color: var(--bad); }
.verdict.none { color: var(--muted); border-color: var(--muted); }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(130px, 1fr)); gap: 10px; flex: 1; }
.card { background: var(--soft); padding: 8px 12px; border-radius: 3px; }
.card .n { font-size: 1.4rem; font-weight: 700; }
.card .l { font-size: .8rem; color: var(--muted); }
.card.alert .n { color: var(--bad); }
table { border-collapse: collapse; width: 100%; font-size: .88rem; margin: 6px 0 4px; }
caption { text-align: left; color: var(--muted); font-size: .85rem; padding: 2px 0 6px; caption-side: top; }
th, td { border-bottom: 1px solid var(--rule); padding: 5px 8px; text-align: left; vertical-align: top; }
thead th { background: var(--soft); border-bottom: 2px solid var(--muted); font-weight: 600; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
tbody th { font-weight: 600; }
tr.flagged td, tr.flagged th { background: #fff6e0; }
.tag { display: inline-block; font-size: .75rem; border: 1px solid currentColor; padding: 0 5px; border-radius: 2px; margin: 1px 2px 1px 0; white-space: nowrap; }
.tag.bad { color: var(--bad); }
.tag.good { color: var(--good); }
.tag.warn { color: var(--warn); }
.note { color: var(--muted); font-size: .85rem; }
.none { color: var(--muted); font-style: italic; }
figure.chart { margin: 8px 0 0; }
figure.chart svg { width: 100%; height: auto; display: block; }
figure.chart figcaption { font-size: .85rem; color: var(--muted); margin-top: 4px; }
ul.legend { list-style: none; padding: 0; margin: 8px 0 0; display: flex; flex-wrap: wrap; gap: 6px 18px; font-size: .85rem; }
ul.legend li { display: flex; align-items: center; gap: 6px; }
ul.signals { padding-left: 1.2em; }
ul.signals li { margin: 4px 0; }
footer.report { margin-top: 36px; padding-top: 10px; border-top: 1px solid var(--rule); color: var(--muted); font-size: .8rem; }
@media print {
  @page { size: A4; margin: 14mm 12mm 16mm; }
  html { font-size: 10.5pt; }
  body { max-width: none; padding: 0; }
  h2 { break-after: avoid; }
  thead { display: table-header-group; }
  tr, .card, .big, figure.chart { break-inside: avoid; }
  section.list { break-before: auto; }
  .verdict, .tag { border-width: 1.5pt; }
  tr.flagged td, tr.flagged th, thead th, .card { background: none; }
  a { color: inherit; text-decoration: none; }
}
`;

export function page(parts: PageParts): string {
  const params = parts.parameters.map(([k, v]) => `<dt>${esc(k)}</dt><dd>${esc(v)}</dd>`).join('');
  return `<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="${esc(`${TOOL.name} ${TOOL.version}`)}">
<title>${esc(parts.title)}</title>
<style>${CSS}</style>
</head>
<body>
<header class="report">
<p class="kicker">PACE permanence audit</p>
<h1>${esc(parts.title)}</h1>
<p class="subtitle">${esc(parts.subtitle)}</p>
<dl class="params">${params}<dt>Tool</dt><dd>${esc(`${TOOL.name} ${TOOL.version}`)}</dd></dl>
</header>
<main>
${parts.body.join('\n')}
</main>
<footer class="report">Made by ${esc(`${TOOL.name} ${TOOL.version}`)} from a case-event export. Counting rules: see the tool's README, "Counting rules, in plain words". This report holds personal data about children: store and share it as your council's data-protection rules require.</footer>
</body>
</html>
`;
}

/** A table: head cells (text), rows of cells (HTML, already escaped), numeric columns right-aligned. */
export function table(opts: {
  caption?: string;
  head: string[];
  rows: string[][];
  numeric?: number[];
  rowHeader?: boolean;
  rowClass?: (i: number) => string;
}): string {
  const num = new Set(opts.numeric ?? []);
  const head = opts.head.map((h, i) => `<th scope="col"${num.has(i) ? ' class="num"' : ''}>${esc(h)}</th>`).join('');
  const body = opts.rows
    .map((r, ri) => {
      const cls = opts.rowClass?.(ri);
      const cells = r
        .map((c, i) =>
          i === 0 && opts.rowHeader ? `<th scope="row">${c}</th>` : `<td${num.has(i) ? ' class="num"' : ''}>${c}</td>`,
        )
        .join('');
      return `<tr${cls ? ` class="${cls}"` : ''}>${cells}</tr>`;
    })
    .join('\n');
  return `<table>${opts.caption ? `<caption>${esc(opts.caption)}</caption>` : ''}<thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table>`;
}

export const pct = (v: number | null) => (v === null ? 'n/a' : `${v.toFixed(1)}%`);
export const n = (v: number | null | undefined) => (v === null || v === undefined ? '' : String(v));
