// Renders every case of tests/fixtures/interchange/dotprompt/cases.json with Google's dotprompt
// package and writes what it gives (role, text of each message, media URLs) to
// cases.expected.json beside it. Usage: node dotprompt_oracle.mjs FIXTURE_DIR (with the
// `dotprompt` package resolvable, see run.sh).
import { readFileSync, writeFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Dotprompt } from 'dotprompt';

const dir = process.argv[2];
const cases = JSON.parse(readFileSync(join(dir, 'cases.json'), 'utf8'));
const partials = {};
for (const f of readdirSync(dir)) {
  if (f.startsWith('_') && f.endsWith('.prompt')) {
    partials[f.slice(1, -'.prompt'.length)] = readFileSync(join(dir, f), 'utf8');
  }
}
const dp = new Dotprompt({ partials });
const out = [];
for (const c of cases) {
  const source = readFileSync(join(dir, c.file), 'utf8');
  // The file's `input.default` is applied as Genkit applies it (the bare library takes defaults
  // from the render options only).
  const parsed = dp.parse(source);
  const rendered = await dp.render(
    source,
    { input: c.input, messages: c.history ?? [] },
    { input: { default: parsed.input?.default ?? {} } }
  );
  out.push({
    name: c.name,
    messages: rendered.messages.map((m) => ({
      role: m.role,
      text: m.content.filter((p) => p.text !== undefined).map((p) => p.text).join(''),
      media: m.content.filter((p) => p.media).map((p) => p.media.url),
    })),
  });
}
writeFileSync(join(dir, 'cases.expected.json'), JSON.stringify(out, null, 2) + '\n');
console.log(`dotprompt: ${out.length} cases rendered`);
