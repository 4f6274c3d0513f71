// sitegen-search.js: the client of sitegen's static search index, for browsers and Node 20.
//
//   import { createSearch } from "./sitegen-search.js";
//   const search = await createSearch({ baseUrl: "/search/" });
//   const results = await search.search('ferry "battery boats"', { limit: 10 });
//
// It reads only the index files a query needs. Text analysis, query parsing and BM25F
// scoring mirror sitegen/search/analysis.py and query.py line by line, so results rank as
// `sitegen search` (whoosh) ranks them. No dependencies; no DOM use outside the loader.

export const FORMAT = 3;
const MAX_TOKEN_LENGTH = 64;
const MAX_QUERY_CHARS = 1000;
const MAX_LEAVES = 24;
const MAX_DEPTH = 8;
const MAX_EXPANSIONS = 32;
const MIN_PREFIX = 2;
const PREFIX_WEIGHT = 0.2;
// Typo tolerance (fuzzy.py).
const FEW = 2;
const TYPO_WEIGHT = 0.5;
const MIN_TYPO_LENGTH = 4;
const LONG_TYPO_LENGTH = 8;
const MAX_LOOKED_UP = 8;
const MAX_CORRECTIONS = 3;
const SNIPPET_WORDS = 30;
const MAX_SECTIONS = 3;
const DAY = 86400000;
const FIELD_NAMES = {
  title: "title", summary: "summary", body: "body", topic: "topics", topics: "topics",
  tag: "tags", tags: "tags", author: "authors", authors: "authors", source: "source",
};
const STOP_WORDS = new Set(`a about above after again against all am an and any are as at be
because been before being below between both but by can could did do does doing down during each
few for from further had has have having he her here hers herself him himself his how i if in
into is it its itself just me more most my myself no nor not now of off on once only or other our
ours ourselves out over own same she should so some such than that the their theirs them
themselves then there these they this those through to too under until up very was we were what
when where which while who whom why will with would you your yours yourself yourselves`.split(/\s+/));

// ---- Text analysis (analysis.py) ----

// Words; version-like runs (3.3.0, cve-2024-27280) first, as analysis._VERSION.
const L = "[\\p{L}\\p{N}\\p{M}]";
const WORD = new RegExp(`${L}*\\p{Nd}(?:\\.\\p{Nd}${L}*)+|${L}+(?:-\\p{Nd}${L}*){2,}|${L}+`, "gu");
const SPACE = /\s/u;
const HAN = "\\u3040-\\u30ff\\u31f0-\\u31ff\\u3400-\\u4dbf\\u4e00-\\u9fff\\uf900-\\ufaff\\u{20000}-\\u{2fa1f}";
const HANGUL = "\\u1100-\\u11ff\\u3130-\\u318f\\uac00-\\ud7af";
const CJK_HINT = new RegExp(`[${HAN}${HANGUL}]`, "u");
const CJK_RUNS = new RegExp(`([${HAN}]+)|([${HANGUL}]+)|[^${HAN}${HANGUL}]+`, "gu");
const FOLD_SPECIAL = { ß: "ss", æ: "ae", ø: "o", œ: "oe", ł: "l", đ: "d", ð: "d", þ: "th", ı: "i", ħ: "h", ŧ: "t", ĸ: "k", ŋ: "n", ς: "σ" };
const FOLD_RANGES = [[0x00c0, 0x024f], [0x0300, 0x036f], [0x0370, 0x03ff], [0x1e00, 0x1eff]];
const FOLD = new Map();
for (const [low, high] of FOLD_RANGES) {
  for (let code = low; code <= high; code += 1) {
    const letter = String.fromCodePoint(code);
    const bare = letter.normalize("NFKD").replace(/\p{M}/gu, "");
    const folded = Array.from(bare, (c) => FOLD_SPECIAL[c] ?? c).join("").toLowerCase();
    if (folded !== letter) FOLD.set(letter, folded);
  }
}
const FOLDABLE = /[\u00c0-\u024f\u0300-\u03ff\u1e00-\u1eff]/gu;

export function fold(normal) {
  return normal.replace(FOLDABLE, (c) => FOLD.get(c) ?? c);
}

export function normalize(text) {
  return fold(String(text).normalize("NFKC").toLowerCase());
}

function codePoints(text) {
  return text.length <= MAX_TOKEN_LENGTH ? text.length : Array.from(text).length;
}

// Han and kana runs as overlapping bigrams; Hangul runs whole and as syllable bigrams.
export function cjkTerms(word) {
  const terms = [];
  for (const match of word.matchAll(CJK_RUNS)) {
    const run = Array.from(match[0]);
    if ((match[1] || match[2]) && run.length > 1) {
      const pairs = run.slice(1).map((c, i) => run[i] + c);
      if (match[2] && run.length > 2) terms.push(match[0]);
      terms.push(...pairs);
    } else {
      terms.push(match[0]);
    }
  }
  return terms;
}

function wordsOf(normal) {
  const words = [];
  for (const match of normal.matchAll(WORD)) {
    if (CJK_HINT.test(match[0])) words.push(...cjkTerms(match[0]));
    else words.push(match[0]);
  }
  return words;
}

export function rawTokens(text) {
  return wordsOf(normalize(text)).filter((word) => codePoints(word) <= MAX_TOKEN_LENGTH);
}

export function englishTerm(word) {
  if (STOP_WORDS.has(word) || (codePoints(word) === 1 && !/^\p{Nd}$/u.test(word))) return null;
  return /^[a-z]+$/.test(word) ? stem(word) : word;
}

export function tokenize(text, language) {
  const words = rawTokens(text);
  if (!String(language).toLowerCase().startsWith("en")) return words;
  return words.map(englishTerm).filter((term) => term !== null);
}

const STEP2 = {
  ational: "ate", tional: "tion", enci: "ence", anci: "ance", izer: "ize", bli: "ble", alli: "al",
  entli: "ent", eli: "e", ousli: "ous", ization: "ize", ation: "ate", ator: "ate", alism: "al",
  iveness: "ive", fulness: "ful", ousness: "ous", aliti: "al", iviti: "ive", biliti: "ble", logi: "log",
};
const STEP3 = { icate: "ic", ative: "", alize: "al", iciti: "ic", ical: "ic", ful: "", ness: "" };
const C = "[^aeiou][^aeiouy]*";
const V = "[aeiouy][aeiou]*";
const M_GT_0 = new RegExp(`^(${C})?${V}${C}`);
const M_EQ_1 = new RegExp(`^(${C})?${V}${C}(${V})?$`);
const M_GT_1 = new RegExp(`^(${C})?${V}${C}${V}${C}`);
const HAS_VOWEL = new RegExp(`^(${C})?[aeiouy]`);
const CVC = new RegExp(`^${C}[aeiouy][^aeiouwxy]$`);
const STEP2_RE = new RegExp(`^(.+?)(${Object.keys(STEP2).join("|")})$`);
const STEP3_RE = new RegExp(`^(.+?)(${Object.keys(STEP3).join("|")})$`);
const STEP4_RE = /^(.+?)(al|ance|ence|er|ic|able|ible|ant|ement|ment|ent|ou|ism|ate|iti|ous|ive|ize)$/;

// The Porter stemmer, the same regular expressions as analysis.stem.
export function stem(word) {
  if (word.length < 3) return word;
  let w = word;
  const firstY = w[0] === "y";
  if (firstY) w = "Y" + w.slice(1);
  let m;
  if (/^(.+?)(ss|i)es$/.test(w)) w = w.replace(/^(.+?)(ss|i)es$/, "$1$2");
  else if (/^(.+?)([^s])s$/.test(w)) w = w.replace(/^(.+?)([^s])s$/, "$1$2");
  if ((m = /^(.+?)eed$/.exec(w))) {
    if (M_GT_0.test(m[1])) w = w.slice(0, -1);
  } else if ((m = /^(.+?)(ed|ing)$/.exec(w)) && HAS_VOWEL.test(m[1])) {
    w = m[1];
    if (/(at|bl|iz)$/.test(w)) w += "e";
    else if (/([^aeiouylsz])\1$/.test(w)) w = w.slice(0, -1);
    else if (CVC.test(w)) w += "e";
  }
  if ((m = /^(.+?)y$/.exec(w)) && HAS_VOWEL.test(m[1])) w = m[1] + "i";
  if ((m = STEP2_RE.exec(w)) && M_GT_0.test(m[1])) w = m[1] + STEP2[m[2]];
  if ((m = STEP3_RE.exec(w)) && M_GT_0.test(m[1])) w = m[1] + STEP3[m[2]];
  if ((m = STEP4_RE.exec(w))) {
    if (M_GT_1.test(m[1])) w = m[1];
  } else if ((m = /^(.+?)(s|t)(ion)$/.exec(w)) && M_GT_1.test(m[1] + m[2])) {
    w = m[1] + m[2];
  }
  if ((m = /^(.+?)e$/.exec(w))) {
    const base = m[1];
    if (M_GT_1.test(base) || (M_EQ_1.test(base) && !CVC.test(base))) w = base;
  }
  if (/ll$/.test(w) && M_GT_1.test(w)) w = w.slice(0, -1);
  if (firstY) w = "y" + w.slice(1);
  return w;
}

// whoosh keeps a field's length as one byte; this is the length each byte stands for.
export const LENGTH_TABLE = Array.from({ length: 256 }, (_, n) => Math.round((Math.pow(1.033, n) - 1) * 27));

// ---- Queries (query.py) ----

export function parseQuery(text, { prefixLast = false } = {}) {
  const tokens = lex(Array.from(String(text)).slice(0, MAX_QUERY_CHARS).join(""));
  if (prefixLast && tokens.length && !SPACE.test(String(text).slice(-1))) {
    const last = tokens[tokens.length - 1];
    if (last.kind === "word") last.text = last.text.replace(/\*+$/, "") + "*";
  }
  const parser = new Parser(tokens);
  const parts = [];
  while (parser.position < tokens.length) {
    const node = parser.parseOr(0);
    if (node) parts.push(node);
    if (parser.position < tokens.length) parser.position += 1;
  }
  return join("and", parts);
}

function lex(text) {
  const tokens = [];
  const n = text.length;
  const closing = (quote, from) => {
    const end = text.indexOf(quote, from);
    return end < 0 ? n : end;
  };
  let i = 0;
  while (i < n) {
    const char = text[i];
    if (SPACE.test(char)) {
      i += 1;
    } else if (char === "(" || char === ")") {
      tokens.push({ kind: char });
      i += 1;
    } else if (char === '"') {
      const end = closing('"', i + 1);
      tokens.push({ kind: "phrase", text: text.slice(i + 1, end), field: null });
      i = end + 1;
    } else if (char === "-" && i + 1 < n && !SPACE.test(text[i + 1])) {
      tokens.push({ kind: "NOT" });
      i += 1;
    } else if (char === "+") {
      i += 1;
    } else {
      const start = i;
      while (i < n && !SPACE.test(text[i]) && !'()"'.includes(text[i])) i += 1;
      const word = text.slice(start, i);
      const colon = word.indexOf(":");
      const name = colon > 0 ? word.slice(0, colon).toLowerCase() : "";
      if (name === "date") {
        let value = word.slice(colon + 1);
        if (value === "" && i < n && text[i] === "[") {
          const end = closing("]", i);
          value = text.slice(i, end + 1);
          i = end + 1;
        } else if (value.startsWith("[") && !value.endsWith("]")) {
          const end = closing("]", i);
          value += text.slice(i, end + 1);
          i = end + 1;
        }
        tokens.push({ kind: "date", text: value });
      } else if (Object.hasOwn(FIELD_NAMES, name)) {
        const value = word.slice(colon + 1);
        if (value === "" && i < n && text[i] === '"') {
          const end = closing('"', i + 1);
          tokens.push({ kind: "phrase", text: text.slice(i + 1, end), field: FIELD_NAMES[name] });
          i = end + 1;
        } else {
          tokens.push({ kind: "word", text: value, field: FIELD_NAMES[name] });
        }
      } else if (word === "AND" || word === "OR" || word === "NOT") {
        tokens.push({ kind: word });
      } else {
        tokens.push({ kind: "word", text: word, field: null });
      }
    }
  }
  return tokens;
}

class Parser {
  constructor(tokens) {
    this.tokens = tokens;
    this.position = 0;
    this.leaves = 0;
  }

  peek() {
    return this.tokens[this.position] ?? null;
  }

  parseOr(depth) {
    const parts = [this.parseAnd(depth)];
    while (this.peek()?.kind === "OR") {
      this.position += 1;
      parts.push(this.parseAnd(depth));
    }
    return join("or", parts.filter(Boolean));
  }

  parseAnd(depth) {
    const parts = [];
    let token;
    while ((token = this.peek()) && token.kind !== "OR" && token.kind !== ")") {
      if (token.kind === "AND") {
        this.position += 1;
        continue;
      }
      const node = this.parseUnary(depth);
      if (node) parts.push(node);
    }
    return join("and", parts);
  }

  parseUnary(depth) {
    const token = this.peek();
    this.position += 1;
    if (token.kind === "NOT") {
      const following = this.peek();
      if (!following || following.kind === "OR" || following.kind === ")" || following.kind === "AND") return null;
      const child = this.parseUnary(depth);
      return child ? { type: "not", child } : null;
    }
    if (token.kind === "(") {
      if (depth >= MAX_DEPTH) return null;
      const node = this.parseOr(depth + 1);
      if (this.peek()?.kind === ")") this.position += 1;
      return node;
    }
    if (this.leaves >= MAX_LEAVES) return null;
    this.leaves += 1;
    if (token.kind === "phrase") return { type: "phrase", text: token.text, field: token.field };
    if (token.kind === "date") return dateRange(token.text);
    const prefix = token.text.endsWith("*");
    return { type: "word", text: token.text.replace(/\*+$/, ""), field: token.field, prefix };
  }
}

function join(type, parts) {
  if (!parts.length) return null;
  return parts.length === 1 ? parts[0] : { type, children: parts };
}

function dateRange(value) {
  if (value.startsWith("[")) {
    const inner = value.endsWith("]") ? value.slice(1, -1) : value.slice(1);
    const words = inner.split(/\s+/).filter(Boolean);
    const upper = words.map((word) => word.toUpperCase());
    const cut = upper.indexOf("TO");
    if (cut < 0) return null;
    const low = words.slice(0, cut).join(" ");
    const high = words.slice(cut + 1).join(" ");
    const start = low ? period(low)[0] : null;
    const end = high ? period(high)[1] : null;
    if ((low && start === null) || (high && end === null) || (start === null && end === null)) return null;
    return { type: "date", start, end };
  }
  for (const operator of [">=", "<=", ">", "<"]) {
    if (value.startsWith(operator)) {
      const [first, last] = period(value.slice(operator.length));
      if (first === null || last === null) return null;
      if (operator === ">=") return { type: "date", start: first, end: null };
      if (operator === "<=") return { type: "date", start: null, end: last };
      if (operator === ">") return { type: "date", start: last + 1, end: null };
      return { type: "date", start: null, end: first - 1 };
    }
  }
  const [first, last] = period(value);
  return first === null ? null : { type: "date", start: first, end: last };
}

function dayOf(year, month, day) {
  const moment = new Date(0);
  moment.setUTCFullYear(year, month - 1, day);
  if (moment.getUTCFullYear() !== year || moment.getUTCMonth() !== month - 1 || moment.getUTCDate() !== day) {
    return null;
  }
  return Math.floor(moment.getTime() / DAY);
}

function leap(year) {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

function period(text) {
  const parts = text.trim().split("-");
  if (parts.length < 1 || parts.length > 3 || !parts.every((part) => /^[0-9]+$/.test(part))) return [null, null];
  if (parts[0].length !== 4 || parts.slice(1).some((part) => part.length !== 2)) return [null, null];
  const [year, month, day] = parts.map(Number);
  if (year < 1) return [null, null];
  if (parts.length === 1) return [dayOf(year, 1, 1), dayOf(year, 12, 31)];
  const first = dayOf(year, month, parts.length === 3 ? day : 1);
  if (first === null) return [null, null];
  if (parts.length === 3) return [first, first];
  const daysInMonth = new Date(Date.UTC(2000, month, 0)).getUTCDate() - (month === 2 && !leap(year) ? 1 : 0);
  return [first, first + daysInMonth - 1];
}

function compareCodePoints(a, b) {
  if (a === b) return 0;
  const x = Array.from(a);
  const y = Array.from(b);
  for (let i = 0; i < Math.min(x.length, y.length); i += 1) {
    const d = x[i].codePointAt(0) - y[i].codePointAt(0);
    if (d) return d;
  }
  return x.length - y.length;
}

export function wordForms(word) {
  const english = englishTerm(word);
  if (english === null) return [];
  return english === word ? [english] : [english, word];
}

// Index terms for a parse tree: ["term", field, term, boost], ["phrase", field, terms, boost],
// ["any", parts], ["all", parts, excluded] or ["date", start, end]; null matches nothing.
// `expand(prefix, fields)` gives [term, document frequency] pairs for prefix words.
export function compileQuery(node, expand, fields, boosts, correct = null) {
  if (!node) return null;
  const fieldsOf = (field) => (field === null || field === undefined ? fields : [field]);
  const any = (parts) => (!parts.length ? null : parts.length === 1 ? parts[0] : ["any", parts]);
  switch (node.type) {
    case "word": {
      const on = fieldsOf(node.field);
      const words = rawTokens(node.text);
      if (node.prefix && words.length === 1 && codePoints(words[0]) >= MIN_PREFIX) {
        const exact = wordForms(words[0]);
        if (!exact.length) return null; // a stopword typed whole is not expanded
        const found = [...expand(words[0], on)]
          .sort((a, b) => b[1] - a[1] || compareCodePoints(a[0], b[0]))
          .slice(0, MAX_EXPANSIONS);
        if (found.length || !correct) {
          const terms = [...new Set([...found.map((item) => item[0]), ...exact])].sort(compareCodePoints);
          const weight = (term) => (exact.includes(term) ? 1 : PREFIX_WEIGHT);
          return any(on.flatMap((f) => terms.map((term) => ["term", f, term, boosts[f] * weight(term)])));
        }
      }
      const parts = words
        .map((word) => {
          const forms = wordForms(word);
          const fixes = correct && forms.length ? correct(forms[0], on) : [];
          const typos = on.flatMap((f) => fixes.map((fix) => ["term", f, fix, boosts[f] * TYPO_WEIGHT]));
          return any([...on.flatMap((f) => forms.map((form) => ["term", f, form, boosts[f]])), ...typos]);
        })
        .filter(Boolean);
      if (!parts.length) return null;
      return parts.length === 1 ? parts[0] : ["all", parts, []];
    }
    case "phrase": {
      const words = rawTokens(node.text);
      const english = words.map(englishTerm).filter((term) => term !== null);
      const variants = [];
      for (const variant of [english, words]) {
        if (variant.length && !variants.some((v) => v.join(" ") === variant.join(" "))) variants.push(variant);
      }
      const parts = [];
      for (const f of fieldsOf(node.field)) {
        for (const v of variants) parts.push(v.length === 1 ? ["term", f, v[0], boosts[f]] : ["phrase", f, v, boosts[f]]);
      }
      return any(parts);
    }
    case "date":
      return ["date", node.start, node.end];
    case "not":
      return null;
    case "or":
      return any(node.children.map((child) => compileQuery(child, expand, fields, boosts, correct)).filter(Boolean));
    default: {
      const positive = [];
      const excluded = [];
      for (const child of node.children) {
        if (child.type === "not") {
          const part = compileQuery(child.child, expand, fields, boosts, correct);
          if (part) excluded.push(part);
        } else {
          const part = compileQuery(child, expand, fields, boosts, correct);
          if (part) positive.push(part);
        }
      }
      if (!positive.length) return null;
      if (positive.length === 1 && !excluded.length) return positive[0];
      const near = nearby(node.children, boosts);
      return near.length ? ["all", positive, excluded, near] : ["all", positive, excluded];
    }
  }
}

// ---- Typos (fuzzy.py) ----

function length(text) {
  return Array.from(text).length;
}

export function maxEdits(term) {
  if (!/^\p{L}+$/u.test(term) || length(term) < MIN_TYPO_LENGTH) return 0;
  return length(term) >= LONG_TYPO_LENGTH ? 2 : 1;
}

export function vocabularyKey(size, end, letter) {
  return `${size}${end}${letter.codePointAt(0).toString(16)}`;
}

export function bucketKeys(term, edits) {
  const chars = Array.from(term);
  const keys = [];
  for (let size = chars.length - edits; size <= chars.length + edits; size += 1) {
    keys.push(vocabularyKey(size, "f", chars[0]), vocabularyKey(size, "l", chars[chars.length - 1]));
  }
  return keys;
}

export function editDistance(a, b, most) {
  const x = Array.from(a);
  const y = Array.from(b);
  if (Math.abs(x.length - y.length) > most) return most + 1;
  let before = [];
  let row = Array.from({ length: y.length + 1 }, (_, j) => j);
  for (let i = 1; i <= x.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= y.length; j += 1) {
      const cost = x[i - 1] === y[j - 1] ? 0 : 1;
      current[j] = Math.min(row[j] + 1, current[j - 1] + 1, row[j - 1] + cost);
      if (i > 1 && j > 1 && x[i - 1] === y[j - 2] && x[i - 2] === y[j - 1]) {
        current[j] = Math.min(current[j], before[j - 2] + 1);
      }
    }
    before = row;
    row = current;
    if (Math.min(...row) > most) return most + 1;
  }
  return row[y.length];
}

export function nearTerms(term, vocabulary) {
  const edits = maxEdits(term);
  if (!edits) return [];
  const chars = Array.from(term);
  const found = [];
  for (const other of new Set(vocabulary)) {
    const letters = Array.from(other);
    if (other === term || (letters[0] !== chars[0] && letters[letters.length - 1] !== chars[chars.length - 1])) continue;
    const distance = editDistance(term, other, edits);
    if (distance <= edits) found.push([other, distance]);
  }
  return found.sort((a, b) => a[1] - b[1] || compareCodePoints(a[0], b[0])).slice(0, MAX_LOOKED_UP);
}

export function corrections(near, frequency) {
  return near
    .map(([other, distance]) => [distance, frequency(other), other])
    .filter(([, count]) => count > 0)
    .sort((a, b) => a[0] - b[0] || b[1] - a[1] || compareCodePoints(a[2], b[2]))
    .slice(0, MAX_CORRECTIONS)
    .map(([, , other]) => other);
}

// The (term, fields) of every word the compiler may ask to correct, as compileQuery meets them.
function typoWords(node, fields, expand, found = []) {
  if (!node) return found;
  if (node.type === "word") {
    const words = rawTokens(node.text);
    const on = node.field === null || node.field === undefined ? fields : [node.field];
    const expanded = node.prefix && words.length === 1 && codePoints(words[0]) >= MIN_PREFIX;
    if (!expanded || (wordForms(words[0]).length && !expand(words[0], on).length)) {
      for (const word of words) {
        const forms = wordForms(word);
        if (forms.length) found.push([forms[0], on]);
      }
    }
  }
  if (node.type === "not") typoWords(node.child, fields, expand, found);
  for (const child of node.children ?? []) typoWords(child, fields, expand, found);
  return found;
}

// The query's plain words side by side, as a bonus (query._nearby).
const NEARBY_WEIGHT = 0.5;
const NEARBY_FIELDS = ["title", "body"];

function nearby(children, boosts) {
  const terms = [];
  for (const child of children) {
    if (child.type !== "word" || (child.field !== null && child.field !== undefined)) continue;
    for (const word of rawTokens(child.text)) {
      const forms = wordForms(word);
      if (forms.length) terms.push(forms[0]);
    }
  }
  if (terms.length < 2) return [];
  return NEARBY_FIELDS.map((f) => ["phrase", f, terms, boosts[f] * NEARBY_WEIGHT]);
}

function withoutNearby(compiled, drop) {
  if (!drop || !compiled) return compiled;
  if (compiled[0] === "any") return ["any", compiled[1].map((part) => withoutNearby(part, drop))];
  if (compiled[0] !== "all") return compiled;
  return ["all", compiled[1].map((part) => withoutNearby(part, drop)), compiled[2]];
}

function prefixWords(node, found = []) {
  if (!node) return found;
  if (node.type === "word" && node.prefix) {
    const words = rawTokens(node.text);
    if (words.length === 1 && codePoints(words[0]) >= MIN_PREFIX) found.push(words[0]);
  }
  if (node.type === "not") prefixWords(node.child, found);
  for (const child of node.children ?? []) prefixWords(child, found);
  return found;
}

function termsOf(compiled, found = new Set()) {
  if (!compiled) return found;
  if (compiled[0] === "term") found.add(compiled[2]);
  if (compiled[0] === "phrase") for (const term of compiled[2]) found.add(term);
  if (compiled[0] === "any" || compiled[0] === "all") for (const part of compiled[1]) termsOf(part, found);
  if (compiled[0] === "all") for (const part of [...compiled[2], ...(compiled[3] ?? [])]) termsOf(part, found);
  return found;
}

function needs(compiled, kind) {
  if (!compiled) return false;
  if (compiled[0] === kind) return true;
  if (compiled[0] === "any") return compiled[1].some((part) => needs(part, kind));
  if (compiled[0] === "all") return [...compiled[1], ...compiled[2], ...(compiled[3] ?? [])].some((part) => needs(part, kind));
  return false;
}

// ---- Index files ----

const ALPHABET = Array.from({ length: 94 }, (_, i) => String.fromCharCode(0x21 + i))
  .filter((c) => c !== '"' && c !== "\\")
  .slice(0, 90)
  .join("");
const DIGITS = new Int16Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i += 1) DIGITS[ALPHABET.charCodeAt(i)] = i;

export function decodeVarints(code) {
  const values = [];
  let value = 0;
  for (let i = 0; i < code.length; i += 1) {
    const digit = DIGITS[code.charCodeAt(i)];
    if (digit < 0) throw new Error("sitegen-search: corrupt index data");
    if (digit >= 45) value = value * 45 + digit - 45;
    else {
      values.push(value * 45 + digit);
      value = 0;
    }
  }
  return values;
}

// What the <script> loader hands over: data already parsed (it may itself be a string).
class Parsed {
  constructor(data) {
    this.data = data;
  }
}

export function parseData(text) {
  if (text instanceof Parsed) return text.data;
  if (typeof text !== "string") return text;
  const trimmed = text.trim();
  if (trimmed.startsWith("sitegenSearch.register(")) {
    return JSON.parse(trimmed.slice(trimmed.indexOf(", ") + 2, trimmed.lastIndexOf(")")));
  }
  return JSON.parse(trimmed);
}

export function fnv1a(text) {
  let hash = 0x811c9dc5;
  for (const char of text) hash = Math.imul(hash ^ char.codePointAt(0), 0x01000193) >>> 0;
  return hash;
}

// ---- Loading: fetch over HTTP, <script> tags from file:// ----

const pending = new Map();

export function register(path, data) {
  const waiting = pending.get(path);
  if (waiting) {
    pending.delete(path);
    waiting.resolve(new Parsed(data));
  }
}

function loadScript(url, path) {
  const api = globalThis.sitegenSearch || (globalThis.sitegenSearch = {});
  api.register = register;
  return new Promise((resolve, reject) => {
    pending.set(path, { resolve, reject });
    const script = document.createElement("script");
    script.src = url;
    script.onload = () => {
      script.remove();
      if (pending.get(path)?.resolve === resolve) {
        pending.delete(path);
        reject(new Error(`sitegen-search: ${path} did not register`));
      }
    };
    script.onerror = () => {
      script.remove();
      pending.delete(path);
      reject(new Error(`sitegen-search: cannot load ${path}`));
    };
    document.head.appendChild(script);
  });
}

function defaultLoader(baseUrl) {
  const here = globalThis.location?.href;
  const base = new URL(baseUrl ?? ".", here);
  if (!base.pathname.endsWith("/")) base.pathname += "/";
  if (base.protocol === "file:" && typeof document !== "undefined") {
    return (path) => loadScript(new URL(path, base).href, path);
  }
  return async (path) => {
    const response = await fetch(new URL(path, base));
    if (!response.ok) throw new Error(`sitegen-search: ${path}: HTTP ${response.status}`);
    return response.text();
  };
}

// ---- Searching ----

export async function createSearch({ baseUrl, load } = {}) {
  const loader = load ?? defaultLoader(baseUrl);
  const files = new Map();
  const get = (path) => {
    if (!files.has(path)) {
      const promise = Promise.resolve()
        .then(() => loader(path))
        .then(parseData);
      promise.catch(() => files.delete(path));
      files.set(path, promise);
    }
    return files.get(path);
  };
  const meta = await get("meta.js");
  if (meta.format !== FORMAT) throw new Error(`sitegen-search: index format ${meta.format}, client ${FORMAT}`);
  const fields = meta.fields;
  const boosts = Object.fromEntries(fields.map((f, i) => [f, meta.boosts[i]]));
  const split = new Set(meta.split);
  const docs = meta.docs;
  const average = meta.lengths.map((total) => total / (docs || 1) || 1);
  const decoded = new Map();

  const groupKey = (term) => {
    const chars = Array.from(term);
    let length = meta.keyLength;
    while (length < chars.length && split.has(chars.slice(0, length).join(""))) length += 1;
    return chars.slice(0, length).join("");
  };
  const shardOf = (term) => String(fnv1a(groupKey(term)) % meta.shards);
  // A big term is 0 in its numbered shard; its postings have files of their own.
  const bigName = (term) => `b${fnv1a(term).toString(16).padStart(8, "0")}`;
  // The shard holding every term that starts with `prefix`, or -1 when they are spread out.
  const prefixShard = (prefix) => {
    const chars = Array.from(prefix);
    let length = meta.keyLength;
    while (length <= chars.length && split.has(chars.slice(0, length).join(""))) length += 1;
    return length > chars.length ? -1 : fnv1a(chars.slice(0, length).join("")) % meta.shards;
  };

  // A term's postings by field name (a term lives in one shard, so the term is the key).
  const postings = (shard, term) => {
    const key = term;
    if (!decoded.has(key)) {
      const code = shard.data[term];
      if (code === 0) return new Map(); // a big term's place holder: its own file has the postings
      const byField = new Map();
      if (code) {
        const values = decodeVarints(code);
        let i = 0;
        while (i < values.length) {
          const field = values[i];
          const count = values[i + 1];
          const least = values[i + 2];
          i += 3;
          const ids = new Int32Array(count);
          const tfs = new Int32Array(count);
          const lengths = new Int32Array(count);
          let id = 0;
          for (let j = 0; j < count; j += 1, i += 3) {
            id += values[i];
            ids[j] = id;
            tfs[j] = values[i + 1];
            lengths[j] = LENGTH_TABLE[least + values[i + 2]];
          }
          byField.set(fields[field], { field, ids, tfs, lengths });
        }
      }
      decoded.set(key, byField);
    }
    return decoded.get(key);
  };

  const loadShards = async (terms, withPositions) => {
    const load = async (name) => {
      const [data, places] = await Promise.all([get(`t/${name}.js`), withPositions ? get(`p/${name}.js`) : null]);
      return { data, places };
    };
    const groups = new Map();
    const own = new Map();
    await Promise.all([...new Set([...terms].map(shardOf))].map(async (n) => groups.set(n, await load(n))));
    const big = [...terms].filter((term) => groups.get(shardOf(term)).data[term] === 0);
    await Promise.all(big.map(async (term) => own.set(term, await load(bigName(term)))));
    return (term) => own.get(term) ?? groups.get(shardOf(term));
  };

  const expansions = async (prefixes) => {
    const found = new Map();
    await Promise.all(
      prefixes.map(async (prefix) => {
        const number = prefixShard(prefix);
        const group = number < 0 ? {} : await get(`t/${number}.js`);
        const big = Object.keys(group).filter((term) => group[term] === 0 && term.startsWith(prefix));
        const own = await Promise.all(big.map((term) => get(`t/${bigName(term)}.js`)));
        const shard = { data: Object.assign({}, group, ...own) };
        found.set(prefix, (on) => {
          const pairs = [];
          for (const term of Object.keys(shard.data)) {
            if (!term.startsWith(prefix)) continue;
            const byField = postings(shard, term);
            const df = on.reduce((sum, f) => sum + (byField.get(f)?.ids.length ?? 0), 0);
            if (df > 0) pairs.push([term, df]);
          }
          return pairs;
        });
      }),
    );
    return (prefix, on) => found.get(prefix)?.(on) ?? [];
  };

  const dates = async () => {
    const code = await get("dates.js");
    const days = new Float64Array(code.length / 3);
    for (let i = 0; i < days.length; i += 1) {
      const a = DIGITS[code.charCodeAt(3 * i)];
      if (a < 0) days[i] = NaN;
      else days[i] = (a * 90 + DIGITS[code.charCodeAt(3 * i + 1)]) * 90 + DIGITS[code.charCodeAt(3 * i + 2)] - 400000;
    }
    return days;
  };

  const facets = () => get("facets.js");

  // `snippets: false` (while a query is typed) loads no positions and no excerpt files: a
  // result's snippet is then its summary or opening, or an excerpt loaded before.
  async function search(
    query,
    { limit = 10, offset = 0, filters = {}, sort = "relevance", prefix = false, snippets = true } = {},
  ) {
    const tree = parseQuery(typeof query === "string" ? query : "", { prefixLast: prefix });
    const expand = await expansions(prefixWords(tree));
    const typos = await corrector(typoWords(tree, fields, expand));
    // While keys come (no snippets), the side-by-side bonus is left out: it needs positions.
    const compiled = withoutNearby(compileQuery(tree, expand, fields, boosts, typos.correct), !snippets);
    if (!compiled) return withTotal([], 0);
    const terms = termsOf(compiled);
    const shardFor = await loadShards(terms, needs(compiled, "phrase"));
    const needDates = needs(compiled, "date") || sort === "date" || filters.yearFrom != null || filters.yearTo != null;
    const days = needDates ? await dates() : null;
    const scores = evaluate(compiled, shardFor, days);
    await applyFilters(scores, filters, days);
    // Best score first (to a millionth, as floats from whoosh and JS may differ in the last
    // bits); ties go to the higher document id, the article indexed later, as in `sitegen
    // search`. Ids follow publication order on a first build, then arrival order.
    const byScore = (a, b) => Math.round(b[1] * 1e6) - Math.round(a[1] * 1e6);
    const byDate = (a, b) => (sort === "date" ? days[b[0]] - days[a[0]] : 0);
    const ranked = [...scores.entries()].sort((a, b) => byDate(a, b) || byScore(a, b) || b[0] - a[0]);
    const total = ranked.length;
    const page = ranked.slice(offset, offset + limit);
    const cards = await Promise.all(page.map(([id]) => get(`d/${Math.floor(id / meta.docsPerFolder)}/${id}.js`)));
    const placesFor = snippets && page.length ? await loadShards(terms, true) : null;
    const results = await Promise.all(
      page.map(async ([id, score], n) => {
        const doc = cards[n];
        const shown = await showDocument(id, doc, terms, placesFor);
        return {
          url: doc.u,
          title: doc.t,
          date: doc.d,
          score,
          snippet: shown.snippet,
          authors: (doc.a ?? []).map((name) => markWords(name, terms)),
          topics: doc.k ?? [],
          source: doc.r ?? "",
          sections: shown.sections,
        };
      }),
    );
    withTotal(results, total);
    Object.defineProperty(results, "suggestion", { value: didYouMean(query, typos.used, results) });
    return results;
  }

  const frequency = (shardFor, term, on) =>
    on.reduce((sum, f) => sum + (postings(shardFor(term), term).get(f)?.ids.length ?? 0), 0);

  // Corrections for the words found in fewer than FEW documents, from the vocabulary files
  // (loaded only then), as `sitegen search` makes them.
  async function corrector(wanted) {
    const table = new Map();
    const used = new Map();
    const keyOf = (term, on) => `${on.join(",")}\u0000${term}`;
    const checkable = wanted.filter(([term]) => maxEdits(term));
    if (checkable.length) {
      const shardFor = await loadShards(new Set(checkable.map(([term]) => term)), false);
      for (const [term, on] of checkable) {
        const key = keyOf(term, on);
        if (table.has(key) || frequency(shardFor, term, on) >= FEW) continue;
        const exists = new Set(await get("v/keys.js"));
        const vocabulary = [];
        const buckets = bucketKeys(term, maxEdits(term)).filter((name) => exists.has(name));
        for (const text of await Promise.all([...new Set(buckets)].map((name) => get(`v/${name}.js`)))) {
          vocabulary.push(...text.split(" "));
        }
        const near = nearTerms(term, vocabulary);
        const nearShards = await loadShards(new Set(near.map(([other]) => other)), false);
        const fixes = corrections(near, (other) => frequency(nearShards, other, on));
        table.set(key, fixes);
        if (fixes.length && !used.has(term)) used.set(term, fixes);
      }
    }
    return { correct: (term, on) => table.get(keyOf(term, on)) ?? [], used };
  }

  // The snippet and the best sections of a document. With the query terms' positions, the
  // chunks holding the most of them are found and only their excerpt files loaded.
  async function showDocument(id, doc, terms, placesFor) {
    const ends = doc.c ?? [];
    const chunkOf = (position) => {
      let low = 0;
      let high = ends.length - 1;
      while (low < high) {
        const middle = (low + high) >> 1;
        if (ends[middle] > position) high = middle;
        else low = middle + 1;
      }
      return low;
    };
    const found = ends.map(() => ({ terms: new Set(), hits: 0 }));
    if (placesFor) {
      for (const term of terms) {
        for (const position of positionsOf(placesFor, "body", term).get(id) ?? []) {
          const chunk = found[chunkOf(position)];
          if (!chunk) continue;
          chunk.terms.add(term);
          chunk.hits += 1;
        }
      }
    }
    const rank = (x) => [x.terms.size, x.hits];
    let best = -1;
    found.forEach((chunk, k) => {
      if (chunk.hits && (best < 0 || better(rank(chunk), rank(found[best])))) best = k;
    });
    const headings = doc.h ?? [];
    const picked = headings
      .map(([anchor, title, first], j) => {
        const last = j + 1 < headings.length ? headings[j + 1][2] : ends.length;
        const total = { terms: new Set(), hits: 0, chunk: -1, order: j, anchor, title };
        for (let k = first; k < last; k += 1) {
          for (const term of found[k].terms) total.terms.add(term);
          total.hits += found[k].hits;
          if (found[k].hits && (total.chunk < 0 || better(rank(found[k]), rank(found[total.chunk])))) total.chunk = k;
        }
        return total;
      })
      .filter((section) => section.hits)
      .sort((a, b) => (better(rank(a), rank(b)) ? -1 : better(rank(b), rank(a)) ? 1 : a.order - b.order))
      .slice(0, MAX_SECTIONS);
    const wanted = [best, ...picked.map((section) => section.chunk)].filter((k) => k >= 0);
    const chunks = await loadChunks(id, doc, wanted, placesFor !== null);
    const cut = (k) => {
      if (chunks[k] === undefined) return null;
      const passage = findPassage(chunks[k], terms, SNIPPET_WORDS);
      return passage ? passage.parts(k > 0, k < ends.length - 1) : null;
    };
    let snippet = best >= 0 ? cut(best) : null;
    if (!snippet) snippet = bestLoaded(chunks, terms, ends.length);
    if (!snippet) snippet = makeSnippet("", doc.s || doc.l || "", terms);
    const sections = picked.map((section) => ({
      url: `${doc.u}#${section.anchor}`,
      title: section.title,
      snippet: cut(section.chunk) ?? [],
    }));
    return { snippet, sections };
  }

  // A document's chunks by index: those in its card, the excerpt files of `wanted` (when
  // `fetch`) and any excerpt file loaded before.
  async function loadChunks(id, doc, wanted, fetch) {
    const chunks = {};
    if (doc.x) {
      doc.x.forEach((text, k) => (chunks[k] = text));
      return chunks;
    }
    const starts = doc.g ?? [];
    const groupOf = (k) => {
      let group = 0;
      while (group + 1 < starts.length && starts[group + 1] <= k) group += 1;
      return group;
    };
    const path = (group) => `x/${Math.floor(id / meta.docsPerFolder)}/${id}-${group}.js`;
    const groups = new Set(fetch ? wanted.map(groupOf) : []);
    starts.forEach((_, group) => {
      if (files.has(path(group))) groups.add(group);
    });
    await Promise.all(
      [...groups].map(async (group) => {
        const texts = await get(path(group));
        texts.forEach((text, i) => (chunks[starts[group] + i] = text));
      }),
    );
    return chunks;
  }

  function bm25(idf, tf, length, field) {
    // The same operations in the same order as whoosh.scoring.bm25, for equal floats.
    return idf * ((tf * (meta.k1 + 1)) / (tf + meta.k1 * (1 - meta.b + (meta.b * length) / average[field])));
  }

  function termScores(shardFor, field, term, boost) {
    const list = postings(shardFor(term), term).get(field);
    const scores = new Map();
    if (!list) return scores;
    const idf = Math.log(docs / (list.ids.length + 1)) + 1;
    for (let j = 0; j < list.ids.length; j += 1) {
      scores.set(list.ids[j], bm25(idf, list.tfs[j], list.lengths[j], list.field) * boost);
    }
    return scores;
  }

  // Positions decoded once a term and field, for phrases and snippets alike.
  const placed = new Map();
  function positionsOf(shardFor, field, term) {
    const shard = shardFor(term);
    const key = `${field}\u0000${term}`;
    shard.positions = placed;
    if (!shard.positions.has(key)) {
      const byDoc = new Map();
      const values = decodeVarints(shard.places[term] ?? "");
      let i = 0;
      for (const [name, list] of postings(shard, term)) {
        for (let j = 0; j < list.ids.length; j += 1) {
          const places = new Int32Array(list.tfs[j]);
          let previous = -1;
          for (let k = 0; k < places.length; k += 1, i += 1) {
            previous += values[i] + 1;
            places[k] = previous;
          }
          if (name === field) byDoc.set(list.ids[j], places);
        }
      }
      shard.positions.set(key, byDoc);
    }
    return shard.positions.get(key);
  }

  function evaluate(compiled, shardFor, days) {
    switch (compiled[0]) {
      case "term":
        return termScores(shardFor, compiled[1], compiled[2], compiled[3]);
      case "phrase": {
        const [, field, words, boost] = compiled;
        const each = words.map((term) => termScores(shardFor, field, term, 1));
        const places = words.map((term) => positionsOf(shardFor, field, term));
        const scores = new Map();
        for (const [id] of each[0]) {
          if (!each.every((s) => s.has(id))) continue;
          const lists = places.map((p) => new Set(p.get(id)));
          const found = [...places[0].get(id)].some((start) => lists.every((set, k) => set.has(start + k)));
          if (found) scores.set(id, each.reduce((sum, s) => sum + s.get(id), 0) * boost);
        }
        return scores;
      }
      case "any": {
        const scores = new Map();
        for (const part of compiled[1]) {
          for (const [id, score] of evaluate(part, shardFor, days)) scores.set(id, (scores.get(id) ?? 0) + score);
        }
        return scores;
      }
      case "all": {
        const parts = compiled[1].map((part) => evaluate(part, shardFor, days));
        parts.sort((a, b) => a.size - b.size);
        const scores = new Map();
        for (const [id, score] of parts[0]) {
          let total = score;
          let everywhere = true;
          for (let k = 1; k < parts.length && everywhere; k += 1) {
            const other = parts[k].get(id);
            if (other === undefined) everywhere = false;
            else total += other;
          }
          if (everywhere) scores.set(id, total);
        }
        for (const part of compiled[2]) for (const [id] of evaluate(part, shardFor, days)) scores.delete(id);
        if (compiled[3]) {
          const bonus = evaluate(["any", compiled[3]], shardFor, days);
          for (const [id, score] of scores) if (bonus.has(id)) scores.set(id, score + bonus.get(id));
        }
        return scores;
      }
      default: {
        const [, start, end] = compiled;
        const scores = new Map();
        for (let id = 0; id < days.length; id += 1) {
          const day = days[id];
          if (!Number.isNaN(day) && (start === null || day >= start) && (end === null || day <= end)) scores.set(id, 1);
        }
        return scores;
      }
    }
  }

  async function applyFilters(scores, filters, days) {
    const listing = ["topic", "source", "author"].some((key) => filters[key]) ? await facets() : null;
    for (const [key, kind] of [
      ["topic", "topics"],
      ["source", "sources"],
      ["author", "authors"],
    ]) {
      const wanted = filters[key];
      if (!wanted || (Array.isArray(wanted) && !wanted.length)) continue;
      const slugs = new Set(Array.isArray(wanted) ? wanted : [wanted]);
      const allowed = new Set();
      for (const row of listing[kind].filter((r) => slugs.has(r[1]) || slugs.has(r[0]))) {
        let id = 0;
        for (const delta of decodeVarints(await get(row[2]))) allowed.add((id += delta));
      }
      for (const id of [...scores.keys()]) if (!allowed.has(id)) scores.delete(id);
    }
    const from = Number.isFinite(Number(filters.yearFrom)) && filters.yearFrom !== null && filters.yearFrom !== "";
    const to = Number.isFinite(Number(filters.yearTo)) && filters.yearTo !== null && filters.yearTo !== "";
    if (from || to) {
      const start = from ? Date.UTC(Number(filters.yearFrom), 0, 1) / DAY : -Infinity;
      const end = to ? Date.UTC(Number(filters.yearTo) + 1, 0, 1) / DAY - 1 : Infinity;
      for (const id of [...scores.keys()]) if (!(days[id] >= start && days[id] <= end)) scores.delete(id);
    }
  }

  return { search, facets, meta };
}

function withTotal(results, total) {
  Object.defineProperty(results, "total", { value: total, enumerable: false });
  return results;
}

// ---- Snippets ----

// The query with each corrected word replaced by the word of the text the best ranked result
// matched it with (else its first correction), as snippet.did_you_mean; null without typos.
function didYouMean(query, used, results) {
  if (!used.size || !results.length) return null;
  const words = new Map();
  for (const [term, fixes] of used) {
    const wanted = new Set(fixes);
    let found = null;
    for (const result of results) {
      for (const part of result.snippet) if (!found && part.match && hitOf(part.text, wanted)) found = part.text;
    }
    words.set(term, (found ?? fixes[0]).toLowerCase());
  }
  return String(query)
    .split(/\s+/)
    .filter(Boolean)
    .map((piece) => {
      const forms = rawTokens(piece).map((word) => englishTerm(word) ?? word);
      return forms.length === 1 && words.has(forms[0]) ? words.get(forms[0]) : piece;
    })
    .join(" ");
}

// The best passage among the chunks loaded, when the positions were not loaded.
function bestLoaded(chunks, terms, count) {
  let best = null;
  for (const [k, text] of Object.entries(chunks)) {
    const found = findPassage(text, terms, SNIPPET_WORDS);
    if (found && (!best || better(found.key, best.found.key))) best = { found, k: Number(k) };
  }
  return best ? best.found.parts(best.k > 0, best.k < count - 1) : null;
}

// A short text (an author's name) with every word that a query term stands for marked.
export function markWords(text, terms) {
  const all = spans(text);
  const hits = all.map(([, , word, context]) =>
    context ? context.some((pair) => hitOf(pair, terms) !== null) : hitOf(word, terms) !== null,
  );
  return passage(text, all, 0, all.length, (i) => hits[i], false, false);
}

function better(key, than) {
  return key[0] > than[0] || (key[0] === than[0] && key[1] > than[1]);
}

// The passage of `text` (then of `summary`) that holds the most query terms, as
// [{ text, match }] parts: plain text to put in text nodes, never markup.
export function makeSnippet(text, summary, terms, words = SNIPPET_WORDS) {
  for (const source of [text, summary]) {
    const parts = bestPassage(source, terms, words, false, false);
    if (parts) return parts;
  }
  const source = summary || text;
  return passage(source, spans(source), 0, words, () => false, false, false);
}

// Words of the text as [start, end, word, context]. A Han or kana character is a word of its
// own, its context the bigrams it is part of, so that a name inside a long run is marked alone.
function spans(text) {
  const found = [];
  for (const m of text.matchAll(WORD)) {
    if (!CJK_HINT.test(m[0])) {
      found.push([m.index, m.index + m[0].length, m[0]]);
      continue;
    }
    for (const run of m[0].matchAll(CJK_RUNS)) {
      let at = m.index + run.index;
      if (!run[1]) {
        found.push([at, at + run[0].length, run[0]]);
        continue;
      }
      const chars = Array.from(run[0]);
      chars.forEach((c, i) => {
        const context = chars.length === 1 ? [c] : [];
        if (i > 0) context.push(chars[i - 1] + c);
        if (i + 1 < chars.length) context.push(c + chars[i + 1]);
        found.push([at, at + c.length, c, context]);
        at += c.length;
      });
    }
  }
  return found;
}

// The query term a word of the text stands for, or null (a CJK run: the first of its bigrams found).
const WORD_TERMS = new Map(); // word of a text -> its index terms (a pure function's memo)

function hitOf(word, terms) {
  let known = WORD_TERMS.get(word);
  if (!known) {
    if (WORD_TERMS.size > 50000) WORD_TERMS.clear();
    known = rawTokens(word).map((normal) => [normal, englishTerm(normal)]);
    WORD_TERMS.set(word, known);
  }
  for (const [normal, english] of known) {
    if (terms.has(normal)) return normal;
    if (english !== null && terms.has(english)) return english;
  }
  return null;
}


function bestPassage(text, terms, words, cutBefore, cutAfter) {
  const found = findPassage(text, terms, words);
  return found ? found.parts(cutBefore, cutAfter) : null;
}

// The window of `words` words of `text` with the most distinct query terms (then the most
// hits): its ranking key, and a function making its parts.
function findPassage(text, terms, words) {
  const all = spans(text);
  const seen = new Map();
  const hitTerm = all.map(([, , word, context]) => {
    if (context) return context.map((pair) => hitOf(pair, terms)).find((term) => term !== null) ?? null;
    if (!seen.has(word)) seen.set(word, hitOf(word, terms));
    return seen.get(word);
  });
  let best = -1;
  let bestKey = [0, 0];
  for (let start = 0; start < all.length; start += 1) {
    if (hitTerm[start] === null) continue;
    const window = hitTerm.slice(start, start + words).filter((t) => t !== null);
    const key = [new Set(window).size, window.length];
    if (better(key, bestKey)) {
      best = start;
      bestKey = key;
    }
  }
  if (best < 0) return null;
  const first = Math.max(0, best - 4);
  const parts = (cutBefore, cutAfter) => passage(text, all, first, words, (i) => hitTerm[i] !== null, cutBefore, cutAfter);
  return { key: bestKey, parts };
}

// Words `first` to `first + words` of `text`; "…" marks text left out at either end.
function passage(text, all, first, words, isHit, cutBefore, cutAfter) {
  const chosen = all.slice(first, first + words);
  if (!chosen.length) return text ? [{ text: text.slice(0, 200), match: false }] : [];
  const parts = [];
  const push = (piece, match) => {
    if (!piece) return;
    const last = parts[parts.length - 1];
    if (last && last.match === match) last.text += piece;
    else parts.push({ text: piece, match });
  };
  let at = first === 0 ? 0 : chosen[0][0];
  if (first > 0 || cutBefore) push("… ", false);
  chosen.forEach(([from, to], i) => {
    push(text.slice(at, from), false);
    push(text.slice(from, to), isHit(first + i));
    at = to;
  });
  if (first + chosen.length < all.length || cutAfter) push(" …", false);
  else push(text.slice(at), false);
  return parts;
}
