// Parse Mermaid diagrams with the real Mermaid parser, under Node, without a browser.
//
//   node tools/mermaid/parse.mjs < diagrams.json      # a JSON list of diagram texts
//
// Prints a JSON list, one result per diagram: {"ok": false, "error": "..."} when Mermaid refuses
// it (syntax, or more edges than `maxEdges`), else {"ok": true, "type", "vertices", "edges",
// "subgraphs"} as Mermaid's flowchart database holds them after parsing. mermaid.parse() only
// parses (no layout, no SVG), but the package imports DOMPurify, which needs a window: jsdom
// provides one.
import { JSDOM } from "jsdom";

const { window } = new JSDOM("<!doctype html><html><body></body></html>");
globalThis.window = window;
globalThis.document = window.document;
globalThis.DOMParser = window.DOMParser;
globalThis.Element = window.Element;

const { default: mermaid } = await import("mermaid");
// The library's defaults, as GitHub renders with: maxEdges 500, maxTextSize 50000.
mermaid.initialize({ startOnLoad: false });
const { maxTextSize } = mermaid.mermaidAPI.getConfig();

let input = "";
for await (const chunk of process.stdin) input += chunk;
const results = [];
for (const text of JSON.parse(input)) {
  try {
    if (text.length > maxTextSize) throw new Error(`Maximum text size in diagram exceeded (${text.length} > ${maxTextSize})`);
    const parsed = await mermaid.parse(text);
    const result = { ok: true, type: parsed.diagramType };
    if (parsed.diagramType.startsWith("flowchart")) {
      const { db } = await mermaid.mermaidAPI.getDiagramFromText(text);
      result.vertices = [...db.getVertices().values()].map((v) => ({ id: v.id, text: v.text }));
      result.edges = db.getEdges().map((e) => ({ start: e.start, end: e.end, text: e.text }));
      result.subgraphs = db.getSubGraphs().map((s) => ({ id: s.id, title: s.title, nodes: s.nodes }));
    }
    results.push(result);
  } catch (err) {
    results.push({ ok: false, error: String(err && err.message ? err.message : err) });
  }
}
process.stdout.write(JSON.stringify(results) + "\n");
