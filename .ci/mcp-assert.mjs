// Assertion helper for .ci/conformance: reads one MCP result (as printed by
// the MCP Inspector CLI) on stdin and checks a JavaScript expression over it.
//   node .ci/mcp-assert.mjs LABEL 'EXPR' < result.json
// In EXPR, r is the whole result and t is content[0].text parsed as JSON
// (what text-only clients such as Wazuh Autopilot read), or the raw text
// when it is not JSON.
import { readFileSync } from "node:fs";

const [label, expr] = process.argv.slice(2);
const input = readFileSync(0, "utf8");
let r, t;
try {
  r = JSON.parse(input);
} catch (e) {
  console.error(`FAIL ${label}: output is not JSON (${e.message}):\n${input.slice(0, 2000)}`);
  process.exit(1);
}
const text = r?.content?.[0]?.text ?? r?.contents?.[0]?.text ?? r?.messages?.[0]?.content?.text;
try {
  t = JSON.parse(text);
} catch {
  t = text;
}
let ok = false;
try {
  ok = Boolean(new Function("r", "t", `return (${expr});`)(r, t));
} catch (e) {
  console.error(`FAIL ${label}: ${expr}: ${e.message}`);
}
if (!ok) {
  console.error(`FAIL ${label}: ${expr}\n${input.slice(0, 3000)}`);
  process.exit(1);
}
console.log(`ok   ${label}`);
