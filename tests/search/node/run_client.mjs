// Runs the search client under Node for the Python tests. One JSON request on stdin:
//   { module: path of sitegen-search.js, or classic: path of sitegen-search.global.js,
//     analysis?: { words, texts: [[text, language]], queries, expansions },
//     index?: path of a built site's search/ folder, searches?: [{ query, options }] }
// and one JSON answer on stdout.
import { readFile } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";
import vm from "node:vm";

async function readStdin() {
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  return Buffer.concat(chunks).toString("utf8");
}

const request = JSON.parse(await readStdin());
let client;
let librarySize;
if (request.classic) {
  const code = await readFile(request.classic, "utf8");
  vm.runInThisContext(code, { filename: request.classic });
  client = globalThis.sitegenSearch;
  librarySize = Buffer.byteLength(code);
} else {
  client = await import(pathToFileURL(request.module).href);
  librarySize = (await readFile(request.module)).length;
}
const answer = { librarySize };

if (request.analysis) {
  const { words = [], texts = [], queries = [], expansions = {}, fields = [], boosts = {} } = request.analysis;
  const expand = (prefix) => expansions[prefix] ?? [];
  answer.stems = words.map((word) => client.stem(word));
  answer.tokens = texts.map(([text, language]) => client.tokenize(text, language));
  answer.parsed = queries.map((query) => client.compileQuery(client.parseQuery(query), expand, fields, boosts));
  answer.lengthTable = client.LENGTH_TABLE;
}

if (request.index) {
  let bytes = 0;
  let files = [];
  const load = async (relative) => {
    const text = await readFile(path.join(request.index, relative), "utf8");
    bytes += Buffer.byteLength(text);
    files.push(relative);
    return text;
  };
  const search = await client.createSearch({ load });
  answer.setup = { bytes, files };
  answer.searches = [];
  for (const { query, options = {} } of request.searches ?? []) {
    bytes = 0;
    files = [];
    const started = performance.now();
    let results;
    let error = null;
    try {
      results = await search.search(query, options);
    } catch (failure) {
      error = String(failure && failure.stack);
      results = [];
    }
    const cold = performance.now() - started;
    const firstFiles = files.length;
    const again = performance.now();
    if (!error) await search.search(query, options);
    const warm = performance.now() - again;
    // What the repeat fetched: a repeated query must be answered from what is loaded.
    const repeatFiles = files.slice(firstFiles);
    files = files.slice(0, firstFiles);
    const suggestion = results.suggestion ?? null;
    answer.searches.push({ query, results, total: results.total ?? 0, suggestion, bytes, files, repeatFiles, cold, warm, error });
  }
}

process.stdout.write(JSON.stringify(answer));
