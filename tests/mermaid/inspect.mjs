// Parse Mermaid diagrams with Mermaid's own parser and print what it read.
// stdin: a JSON array of diagram texts. stdout: a JSON array, per diagram either
// {type, vertices, edges, subgraphs} or {error: Mermaid's message}.
// Mermaid expects a browser window; jsdom provides one (nothing is rendered).
import { JSDOM } from "jsdom";

const dom = new JSDOM("<!doctype html><html><body></body></html>");
globalThis.window = dom.window;
globalThis.document = dom.window.document;
const { default: mermaid } = await import("mermaid");
mermaid.initialize({ startOnLoad: false });

async function read(text) {
  try {
    const diagram = await mermaid.mermaidAPI.getDiagramFromText(text);
    const db = diagram.db;
    const vertices = [...db.getVertices().values()].map((v) => ({ id: v.id, text: v.text }));
    const edges = db.getEdges().map((e) => ({ start: e.start, end: e.end, stroke: e.stroke }));
    const subgraphs = db.getSubGraphs().map((s) => ({ id: s.id, title: s.title, nodes: s.nodes }));
    return { type: diagram.type, vertices, edges, subgraphs };
  } catch (error) {
    return { error: String(error.message || error) };
  }
}

const chunks = [];
for await (const chunk of process.stdin) chunks.push(chunk);
const results = [];
for (const text of JSON.parse(Buffer.concat(chunks).toString("utf8"))) results.push(await read(text));
console.log(JSON.stringify(results));
