/* The browse page: filter every paper by tags, topic, years and words, in the browser.
 *
 * Reads the static index that generator/browse/index.py writes under browse/data/ (its
 * docstring has the file layouts). Nothing here talks to another host, and nothing is
 * fetched that the current view does not need:
 *
 *   first load   manifest.json (counts, vocabulary with each tag's facet, year runs), the cards of
 *                the first page, then x/dir.json (the text index's directory) when the browser is idle
 *   a tag        t/<tag>.bin (its rows) and the tag counts for the view: ty/<tag>.bin (by year),
 *                tp/<tag>-<topic>.bin (with a topic) or tt/<tag>-<chunk>.bin (with a second tag)
 *   a topic      p/<topic>.bin: its rows and its tag counts by year
 *   years only   yt.bin: tag counts by year
 *   words        the shards of x/ holding the words (and the words they begin, when affordable)
 *   tag counts   for any other view, f/<shard>.bin (every row's tags) for the rows in view, within
 *                the byte budget; beyond it the counts are estimated from a sample and shown as "≈"
 *   results      c/<shard>.json, 8 rows a file, for the rows on screen only (with each paper's
 *                emerges line, shown as text under the authors)
 *   BibTeX       b/<shard>.json, for the rows copied
 *
 * The view lives in the URL (?tags=a,b&mode=any&topic=x&from=2023&to=2025&q=...&sort=newest):
 * every change is a history entry (typing replaces its own entry), and back/forward restore it.
 */
(function () {
  "use strict";

  var root = document.getElementById("rl-browse");
  if (!root || !window.fetch || !window.URLSearchParams) return;

  /* Material opens its own search box for a page URL with ?q= (and deletes q when that box
   * closes); it looks when its bundle runs, after this script (which is not deferred for that
   * reason). Hide q from it, and put the full state back once Material has started. */
  var initialSearch = location.search;
  if (new URLSearchParams(initialSearch).has("q")) {
    var withoutQ = new URLSearchParams(initialSearch);
    withoutQ.delete("q");
    var rest = withoutQ.toString();
    history.replaceState(history.state, "", location.pathname + (rest ? "?" + rest : "") + location.hash);
  }
  var materialStarted = new Promise(function (resolve) {
    if (document.readyState !== "loading") resolve();
    else document.addEventListener("DOMContentLoaded", function () { setTimeout(resolve, 0); });
  });

  var PAGE = 20;
  var BUDGET = 100 * 1024;        // bytes a filter change may fetch (the target)
  var PREFIX_BUDGET = 40 * 1024;  // bytes one word may spend on prefix matches
  var FACET_BUDGET = [8 * 1024, 64 * 1024];  // bytes of facet shards a change may fetch: at least, at most
  var SAMPLE_BUDGET = 24 * 1024;              // ... when they cannot cover the set and counts are estimated
  var COPY_MAX = 500;
  var EXACT = window.rlBrowseExact === true;  // benchmarks/browse: no byte budget, every count exact
  var STRONG = 3;                 // a word in the title or authors counts three times

  var DATA = root.getAttribute("data-index");
  var PAPERS = root.getAttribute("data-papers");

  var $ = function (id) { return document.getElementById(id); };
  var form = $("rl-form"), qInput = $("rl-q"), topicSelect = $("rl-topic"), fromSelect = $("rl-from"),
    toSelect = $("rl-to"), tagList = $("rl-tag-list"), tagFind = $("rl-tag-find"), statusEl = $("rl-status"),
    resultsEl = $("rl-results"), moreButton = $("rl-more"), clearButton = $("rl-clear"),
    sortField = $("rl-sort-field"), sortSelect = $("rl-sort"), copyButton = $("rl-copy"),
    copyStatus = $("rl-copy-status");

  var M = null;            // the manifest
  var N = 0, W = 0;        // rows, 32-bit words in a row set
  var tagNumber = {}, topicNumber = {};

  /* ---------------------------------------------------------------- fetching */

  var files = new Map();   // path -> Promise of the parsed file
  var meter = { bytes: 0 };  // bytes fetched for the change being computed

  function fetchFile(path, kind, parse) {
    var known = files.get(path);
    if (known) return known;
    var counted = meter;
    var url = DATA + path + (M ? "?v=" + M.version : "");
    var promise = fetch(url, path === "manifest.json" ? { cache: "no-cache" } : {}).then(function (response) {
      if (!response.ok) throw new Error(path + ": HTTP " + response.status);
      return kind === "json" ? response.text() : response.arrayBuffer();
    }).then(function (body) {
      counted.bytes += kind === "json" ? new Blob([body]).size : body.byteLength;
      return parse(kind === "json" ? JSON.parse(body) : new Uint8Array(body));
    });
    promise.catch(function () { files.delete(path); });
    files.set(path, promise);
    return promise;
  }

  function isLoaded(path) { return files.has(path); }

  /* ---------------------------------------------------------------- bytes */

  function Reader(bytes) { this.b = bytes; this.i = 0; }
  Reader.prototype.varint = function () {
    var b = this.b, value = 0, scale = 1, byte;
    do {
      byte = b[this.i++];
      value += (byte & 0x7f) * scale;
      scale *= 128;
    } while (byte & 0x80);
    return value;
  };
  Reader.prototype.tags = function (width) {
    var count = this.b[this.i++], out = new Array(count);
    for (var k = 0; k < count; k++) {
      out[k] = width === 1 ? this.b[this.i] : this.b[this.i] | (this.b[this.i + 1] << 8);
      this.i += width;
    }
    return out;
  };

  /* ---------------------------------------------------------------- row sets (bitsets) */

  function emptySet() { return new Uint32Array(W); }
  function fullSet() {
    var s = new Uint32Array(W).fill(0xffffffff);
    if (N & 31) s[W - 1] = ((1 << (N & 31)) - 1) >>> 0;
    return s;
  }
  function addRow(s, r) { s[r >>> 5] |= 1 << (r & 31); }
  function hasRow(s, r) { return (s[r >>> 5] & (1 << (r & 31))) !== 0; }
  function addRange(s, lo, hi) { for (var r = lo; r < hi; r++) s[r >>> 5] |= 1 << (r & 31); }
  function andInto(a, b) { for (var i = 0; i < W; i++) a[i] &= b[i]; return a; }
  function orInto(a, b) { for (var i = 0; i < W; i++) a[i] |= b[i]; return a; }
  function popcount(x) {
    x -= (x >>> 1) & 0x55555555;
    x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
    return (((x + (x >>> 4)) & 0x0f0f0f0f) * 0x01010101) >>> 24;
  }
  function cardinality(s) { var c = 0; for (var i = 0; i < W; i++) if (s[i]) c += popcount(s[i]); return c; }
  function rowsOf(s, size) {
    var out = new Int32Array(size), k = 0;
    for (var i = 0; i < W; i++) {
      var x = s[i];
      while (x) {
        var t = x & -x;
        out[k++] = (i << 5) + (31 - Math.clz32(t));
        x ^= t;
      }
    }
    return out;
  }

  /* a row list as written by encode.row_list: kind byte, varint length, gaps or bitmap */
  function readRowList(r, into) {
    var kind = r.b[r.i++], length = r.varint(), end = r.i + length;
    if (kind === 1) {
      var bytes = new Uint8Array(into.buffer, into.byteOffset, into.byteLength);
      for (var j = 0; j < length; j++) bytes[j] |= r.b[r.i + j];
      r.i = end;
    } else {
      var row = 0;
      while (r.i < end) { row += r.varint(); addRow(into, row); }
    }
    return into;
  }

  /* ---------------------------------------------------------------- the index files */

  function parseCounts(r, vectors) {  // `vectors` sparse tag-count vectors -> Int32Arrays
    var out = new Array(vectors);
    for (var v = 0; v < vectors; v++) {
      var line = new Int32Array(M.tags.length), pairs = r.varint(), tag = 0;
      for (var k = 0; k < pairs; k++) { tag += r.varint(); line[tag] = r.varint(); }
      out[v] = line;
    }
    return out;
  }

  function parseTopic(bytes) {       // p/<topic>.bin
    var r = new Reader(bytes), rows = readRowList(r, emptySet());
    return { rows: rows, byYear: parseCounts(r, M.years.length) };
  }

  function parseFacets(bytes) {   // f/<shard>.bin: each row's tags, in row order
    var r = new Reader(bytes), out = [];
    while (r.i < bytes.length) out.push(r.tags(M.tagWidth));
    return out;
  }

  function parseTextShard(bytes) {
    var r = new Reader(bytes), count = r.varint(), words = [], entries = new Map(), decoder = new TextDecoder();
    for (var k = 0; k < count; k++) {
      var length = r.varint(), word = decoder.decode(bytes.subarray(r.i, r.i + length));
      r.i += length;
      var entry = { word: word, df: r.varint(), at: r.i, bytes: bytes, rows: null, strong: null };
      for (var part = 0; part < 2; part++) {       // skip the row list and the subset
        r.i += 1;
        var skip = r.varint();
        r.i += skip;
      }
      words.push(word);
      entries.set(word, entry);
    }
    return { words: words, entries: entries };
  }

  function decodeWord(entry) {     // -> {rows: set, strong: set}
    if (entry.rows) return entry;
    var r = new Reader(entry.bytes);
    r.i = entry.at;
    var rows = readRowList(r, emptySet());
    var strong = emptySet(), kind = r.b[r.i++], length = r.varint(), end = r.i + length;
    if (kind === 2) {                              // a bitmap over the positions of the row list
      var position = 0, listRows = rowsOf(rows, entry.df);
      for (var j = 0; j < length; j++) {
        var byte = r.b[r.i + j];
        for (var bit = 0; bit < 8 && byte; bit++, byte >>= 1) {
          if (byte & 1) addRow(strong, listRows[position + bit]);
        }
        position += 8;
      }
    } else {
      var row = 0;
      while (r.i < end) { row += r.varint(); addRow(strong, row); }
    }
    entry.rows = rows;
    entry.strong = strong;
    return entry;
  }

  var tagRows = function (t) { return fetchFile("t/" + t + ".bin", "bin", function (b) { return readRowList(new Reader(b), emptySet()); }); };
  var parseYears = function (b) { return parseCounts(new Reader(b), M.years.length); };
  var tagYears = function (t) { return fetchFile("ty/" + t + ".bin", "bin", parseYears); };
  var tagTopicYears = function (t, p) { return fetchFile("tp/" + t + "-" + p + ".bin", "bin", parseYears); };
  var pairPath = function (a, b) { return "tt/" + a + "-" + Math.floor(b / M.pairChunk) + ".bin"; };
  var tagPair = function (a, b) {   // tag counts over T_a ∩ T_b
    return fetchFile(pairPath(a, b), "bin", function (bytes) {
      var r = new Reader(bytes), first = Math.floor(b / M.pairChunk) * M.pairChunk;
      return parseCounts(r, Math.min(M.pairChunk, M.tags.length - first));
    }).then(function (vectors) { return vectors[b % M.pairChunk]; });
  };
  var topicFile = function (p) { return fetchFile("p/" + p + ".bin", "bin", parseTopic); };
  var yearTags = function () { return fetchFile("yt.bin", "bin", parseYears); };
  var facetShard = function (s) { return fetchFile("f/" + s + ".bin", "bin", parseFacets); };
  var textDir = function () { return fetchFile("x/dir.json", "json", function (d) { return d; }); };
  var textShard = function (s) { return fetchFile("x/" + s + ".bin", "bin", parseTextShard); };
  var cardShard = function (s) { return fetchFile("c/" + s + ".json", "json", function (d) { return d; }); };
  var bibShard = function (s) { return fetchFile("b/" + s + ".json", "json", function (d) { return d; }); };

  /* ---------------------------------------------------------------- words (mirror of generator/browse/text.py) */

  var STOP = null;
  function tokens(text) {
    var folded = text.normalize("NFKD").toLowerCase().replace(/\p{M}/gu, "");
    var out = [], words = folded.match(/[\p{L}\p{N}]+/gu) || [];
    words.forEach(function (w) {
      var chars = Array.from(w);
      if (chars.length < M.text.min || STOP.has(w)) return;
      if (chars.length > M.text.max) w = chars.slice(0, M.text.max).join("");
      var n = Array.from(w).length;
      if (n >= 4 && w.charAt(w.length - 1) === "s" && !/(ss|us|is)$/.test(w)) w = w.slice(0, -1);
      out.push(w);
    });
    return out;
  }

  function shardOf(dir, word) {    // the last shard whose first word is <= word
    var lo = 0, hi = dir.length - 1;
    while (lo < hi) {
      var mid = (lo + hi + 1) >> 1;
      if (dir[mid][0] <= word) lo = mid; else hi = mid - 1;
    }
    return lo;
  }

  /* One query word -> {rows, strong}: every indexed word it begins (when the shards for that
   * fit PREFIX_BUDGET), else the word itself. */
  function matchWord(term, dir) {
    var first = shardOf(dir, term), last = shardOf(dir, term + "\uffff"), cost = 0, s;
    for (s = first; s <= last; s++) if (!isLoaded("x/" + s + ".bin")) cost += dir[s][1];
    var prefix = term.length >= 2 && cost <= PREFIX_BUDGET;
    if (!prefix) last = first;
    var wanted = [];
    for (s = first; s <= last; s++) wanted.push(textShard(s));
    return Promise.all(wanted).then(function (shards) {
      var rows = null, strong = null;
      shards.forEach(function (shard) {
        var words = prefix ? shard.words.filter(function (w) { return w.lastIndexOf(term, 0) === 0; })
          : (shard.entries.has(term) ? [term] : []);
        words.forEach(function (w) {
          var entry = decodeWord(shard.entries.get(w));
          if (!rows) { rows = entry.rows.slice(); strong = entry.strong.slice(); }
          else { orInto(rows, entry.rows); orInto(strong, entry.strong); }
        });
      });
      return rows ? { rows: rows, strong: strong } : { rows: emptySet(), strong: emptySet() };
    });
  }

  /* ---------------------------------------------------------------- the state and the URL */

  function readState(search) {
    var p = new URLSearchParams(search);
    var num = function (v) { return /^\d{1,4}$/.test(v || "") ? parseInt(v, 10) : null; };
    var state = {
      tags: (p.get("tags") || "").split(",").filter(function (t, i, all) {
        return t && Object.prototype.hasOwnProperty.call(tagNumber, t) && all.indexOf(t) === i;
      }),
      mode: p.get("mode") === "any" ? "any" : "all",
      topic: Object.prototype.hasOwnProperty.call(topicNumber, p.get("topic") || "") ? p.get("topic") : "",
      from: num(p.get("from")),
      to: num(p.get("to")),
      q: (p.get("q") || "").slice(0, 200),
      sort: p.get("sort") === "newest" ? "newest" : "",
    };
    if (state.from !== null && state.to !== null && state.from > state.to) {
      var swap = state.from; state.from = state.to; state.to = swap;
    }
    return state;
  }

  function queryOf(state) {
    var parts = [];
    if (state.tags.length) parts.push("tags=" + state.tags.map(encodeURIComponent).join(","));
    if (state.mode === "any") parts.push("mode=any");
    if (state.topic) parts.push("topic=" + encodeURIComponent(state.topic));
    if (state.from !== null) parts.push("from=" + state.from);
    if (state.to !== null) parts.push("to=" + state.to);
    if (state.q.trim()) parts.push("q=" + encodeURIComponent(state.q).replace(/%20/g, "+"));
    if (state.q.trim() && state.sort === "newest") parts.push("sort=newest");
    return parts.length ? "?" + parts.join("&") : "";
  }

  function stateFromControls() {
    var checked = Array.prototype.map.call(tagList.querySelectorAll("input:checked"), function (i) { return i.value; });
    var previous = current ? current.tags : [];
    // keep the order in which tags were chosen (the URL shows it)
    var tags = previous.filter(function (t) { return checked.indexOf(t) >= 0; })
      .concat(checked.filter(function (t) { return previous.indexOf(t) < 0; }));
    var mode = form.querySelector("input[name=mode]:checked");
    var state = {
      tags: tags, mode: mode && mode.value === "any" ? "any" : "all", topic: topicSelect.value,
      from: fromSelect.value ? parseInt(fromSelect.value, 10) : null,
      to: toSelect.value ? parseInt(toSelect.value, 10) : null,
      q: qInput.value, sort: sortSelect.value === "newest" ? "newest" : "",
    };
    return readState(queryOf(state));
  }

  function showState(state) {
    if (qInput.value.trim() !== state.q.trim()) qInput.value = state.q;
    topicSelect.value = state.topic;
    fromSelect.value = state.from === null ? "" : String(state.from);
    toSelect.value = state.to === null ? "" : String(state.to);
    form.querySelector("input[name=mode][value=" + state.mode + "]").checked = true;
    Array.prototype.forEach.call(tagList.querySelectorAll("input"), function (input) {
      input.checked = state.tags.indexOf(input.value) >= 0;
    });
    sortSelect.value = state.sort === "newest" ? "newest" : "relevance";
    sortField.hidden = !state.q.trim();
  }

  /* ---------------------------------------------------------------- the engine */

  function yearSet(state) {
    if (state.from === null && state.to === null) return null;
    var s = emptySet();
    M.yearRuns.forEach(function (run) {
      if ((state.from === null || run[0] >= state.from) && (state.to === null || run[0] <= state.to)) {
        addRange(s, run[1], run[1] + run[2]);
      }
    });
    return s;
  }

  function yearsIn(state) {
    return M.years.map(function (y) {
      return (state.from === null || y >= state.from) && (state.to === null || y <= state.to);
    });
  }

  function sumCounts(lines, keep) {
    var out = new Int32Array(M.tags.length);
    lines.forEach(function (line, k) { if (keep[k]) for (var t = 0; t < out.length; t++) out[t] += line[t]; });
    return out;
  }

  /* Tag counts over the rows of `set` (size `size`) from the facet shards (every row's tags):
   * all the shards it needs when they fit the budget, else an even spread of them that fits,
   * scaled up to the whole set (an estimate). */
  function facetCounts(set, size, budget) {
    var per = M.facetRows, rows = rowsOf(set, size), need = [], last = -1;
    for (var k = 0; k < rows.length; k++) {
      var s = Math.floor(rows[k] / per);
      if (s !== last) { need.push(s); last = s; }
    }
    var missing = need.filter(function (s) { return !isLoaded("f/" + s + ".bin"); });
    var cost = missing.reduce(function (sum, s) { return sum + M.sizes.f[s]; }, 0);
    var chosen = new Set(need);
    if (cost > budget.left && !EXACT) {
      var mean = cost / missing.length, fits = Math.floor(Math.min(budget.left, SAMPLE_BUDGET) / mean), keep = new Set();
      for (var i = 0; i < fits; i++) keep.add(missing[Math.floor(i * missing.length / fits)]);
      missing.forEach(function (s) { if (!keep.has(s)) chosen.delete(s); });
      cost = 0;
      keep.forEach(function (s) { cost += M.sizes.f[s]; });
    }
    budget.left -= cost;
    var wanted = [];
    chosen.forEach(function (s) { wanted.push(facetShard(s).then(function (f) { return [s, f]; })); });
    return Promise.all(wanted).then(function (shards) {
      var counts = new Int32Array(M.tags.length), seen = 0, byShard = new Map(shards);
      for (var k = 0; k < rows.length; k++) {
        var s = Math.floor(rows[k] / per), facets = byShard.get(s);
        if (!facets) continue;
        var tags = facets[rows[k] - s * per];
        for (var j = 0; j < tags.length; j++) counts[tags[j]]++;
        seen++;
      }
      if (seen === size) return { counts: counts, exact: true };
      var scale = seen ? size / seen : 0;
      for (var t = 0; t < counts.length; t++) counts[t] = Math.round(counts[t] * scale);
      return { counts: counts, exact: false, known: seen > 0 };
    });
  }

  /* Everything the view needs: the result rows in display order and the sets behind them. */
  function compute(state) {
    var words = state.q.trim() ? tokens(state.q) : [];
    var hasText = words.length > 0;
    var topic = state.topic ? topicNumber[state.topic] : null;
    var selected = state.tags.map(function (t) { return tagNumber[t]; });
    return Promise.all([
      topic !== null ? topicFile(topic) : null,
      hasText ? textDir().then(function (dir) {
        return Promise.all(words.map(function (w) { return matchWord(w, dir); }));
      }) : null,
      Promise.all(selected.map(tagRows)),
    ]).then(function (got) {
      var topicData = got[0], matches = got[1], postings = got[2];
      var C = yearSet(state);                         // every constraint but the tags
      if (topicData) C = C ? andInto(C, topicData.rows) : topicData.rows.slice();
      if (matches) matches.forEach(function (m) { C = C ? andInto(C, m.rows) : m.rows.slice(); });
      var cSize = C ? cardinality(C) : N;
      var R;
      if (!selected.length) {
        R = C;
      } else if (state.mode === "all") {
        R = postings[0].slice();
        for (var k = 1; k < postings.length; k++) andInto(R, postings[k]);
        if (C) andInto(R, C);
      } else {
        R = postings[0].slice();
        for (var j = 1; j < postings.length; j++) orInto(R, postings[j]);
        if (C) andInto(R, C);
      }
      var size = R === C ? cSize : R ? cardinality(R) : N;
      var rows = R ? rowsOf(R, size) : Int32Array.from({ length: N }, function (_, i) { return i; });
      if (matches && state.sort !== "newest" && size > 1) {
        var score = new Float64Array(size);
        matches.forEach(function (m) {
          var idf = Math.log(1 + N / Math.max(cardinality(m.rows), 1));
          for (var k = 0; k < size; k++) score[k] += hasRow(m.strong, rows[k]) ? STRONG * idf : idf;
        });
        rows = byScore(rows, score);
      }
      return {
        state: state, rows: rows, size: size, R: R, C: C, cSize: cSize, postings: postings, topic: topic,
        topicData: topicData, selected: selected, hasText: hasText,
      };
    });
  }

  /* Rows by descending score, newest first among equal scores, in linear time: a score is a
   * sum of one of two weights per word, so there are few distinct scores. */
  function byScore(rows, score) {
    var distinct = Array.from(new Set(score)).sort(function (a, b) { return b - a; });
    var slot = new Map(), start = new Int32Array(distinct.length + 1), k;
    distinct.forEach(function (value, i) { slot.set(value, i); });
    var bucket = new Int32Array(rows.length);
    for (k = 0; k < rows.length; k++) { bucket[k] = slot.get(score[k]); start[bucket[k] + 1]++; }
    for (k = 1; k < start.length; k++) start[k] += start[k - 1];
    var out = new Int32Array(rows.length);
    for (k = 0; k < rows.length; k++) out[start[bucket[k]]++] = rows[k];
    return out;
  }

  /* Tag counts over {rows of C} ∩ (every tag of `tags`): exact from counts computed at build
   * time when the filter is one of the shapes they cover, else from the facet shards. */
  function countsOver(view, tags, set, size, budget) {
    var state = view.state, years = state.from !== null || state.to !== null, keep = yearsIn(state);
    var exact = function (counts) { return { counts: counts, exact: true }; };
    if (!view.hasText) {
      if (!tags.length && view.topic === null && !years) return Promise.resolve(exact(Int32Array.from(M.tags, function (t) { return t[2]; })));
      if (!tags.length && view.topic !== null) return Promise.resolve(exact(sumCounts(view.topicData.byYear, keep)));
      if (!tags.length) return yearTags().then(function (y) { return exact(sumCounts(y, keep)); });
      if (tags.length === 1) {
        return (view.topic === null ? tagYears(tags[0]) : tagTopicYears(tags[0], view.topic))
          .then(function (lines) { return exact(sumCounts(lines, keep)); });
      }
      if (tags.length === 2 && view.topic === null && !years) {
        var a = isLoaded(pairPath(tags[1], tags[0])) ? tags[1] : tags[0], b = a === tags[0] ? tags[1] : tags[0];
        return tagPair(a, b).then(exact);
      }
    }
    if (size === N) return Promise.resolve(exact(Int32Array.from(M.tags, function (t) { return t[2]; })));
    return facetCounts(set, size, budget);
  }

  function intersect(view, tags) {   // {rows of C} ∩ every tag of `tags`, as a set
    var s = view.C ? view.C.slice() : fullSet();
    view.selected.forEach(function (t, k) { if (tags.indexOf(t) >= 0) andInto(s, view.postings[k]); });
    return s;
  }

  /* Counts per tag if it were added: all mode |R ∩ T|; any mode |R| + |C ∩ T| - |R ∩ T|. */
  function tagCounts(view, budget) {
    var state = view.state, sel = view.selected;
    var cSet = view.C || null;
    var overC = function () { return countsOver(view, [], cSet, view.cSize, budget); };
    if (!sel.length) return overC();
    if (state.mode === "all") return countsOver(view, sel, view.R, view.size, budget);
    var overR;
    if (sel.length <= 2) {
      var parts = sel.map(function (t) {
        var s = intersect(view, [t]);
        return countsOver(view, [t], s, cardinality(s), budget);
      });
      if (sel.length === 2) {
        var both = intersect(view, sel);
        parts.push(countsOver(view, sel, both, cardinality(both), budget));
      }
      overR = Promise.all(parts).then(function (got) {
        var counts = new Int32Array(M.tags.length);
        for (var t = 0; t < counts.length; t++) {
          counts[t] = got[0].counts[t] + (got.length > 1 ? got[1].counts[t] - got[2].counts[t] : 0);
        }
        return { counts: counts, exact: got.every(function (g) { return g.exact; }),
          known: got.every(function (g) { return g.exact || g.known; }) };
      });
    } else {
      overR = countsOver(view, sel, view.R, view.size, budget);
    }
    return Promise.all([overR, overC()]).then(function (got) {
      var r = got[0], c = got[1], counts = new Int32Array(M.tags.length);
      for (var t = 0; t < counts.length; t++) counts[t] = Math.max(view.size, view.size + c.counts[t] - r.counts[t]);
      sel.forEach(function (t) { counts[t] = view.size; });
      return { counts: counts, exact: r.exact && c.exact, known: (r.exact || r.known) && (c.exact || c.known) };
    });
  }

  /* ---------------------------------------------------------------- showing it */

  var current = null;      // the state on screen
  var view = null;         // its computed view
  var shown = 0;           // result rows on screen
  var generation = 0;

  var plural = function (n, one, many) { return n.toLocaleString("en") + " " + (n === 1 ? one : many); };

  function cardsFor(rows) {
    var shards = [];
    rows.forEach(function (r) { var s = Math.floor(r / M.cardRows); if (shards.indexOf(s) < 0) shards.push(s); });
    return Promise.all(shards.map(cardShard)).then(function (got) {
      var byShard = new Map();
      shards.forEach(function (s, k) { byShard.set(s, got[k]); });
      return rows.map(function (r) {
        var s = Math.floor(r / M.cardRows);
        return byShard.get(s)[r - s * M.cardRows];
      });
    });
  }

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }

  // Contributor text inside a <bdi>: a right-to-left name cannot reorder what follows it (the year).
  function isolated(tag, className, text) {
    var node = el(tag, className);
    node.appendChild(el("bdi", "", text));
    return node;
  }

  function cardElement(card) {
    var id = card[0], title = card[1], authors = card[2], year = card[3], venue = card[4], tags = card[5],
      emerges = card[6];
    var li = el("li", "rl-card");
    li.setAttribute("data-id", id);
    var h = el("h3", "rl-card__title"), a = isolated("a", "", title);
    a.href = PAPERS + id + "/";
    h.appendChild(a);
    li.appendChild(h);
    var meta = el("p", "rl-card__meta");
    meta.appendChild(isolated("span", "rl-card__authors", authors));
    meta.appendChild(document.createTextNode(" · "));
    meta.appendChild(el("span", "rl-card__year", String(year)));
    if (venue) {
      meta.appendChild(document.createTextNode(" · "));
      meta.appendChild(isolated("span", "rl-card__venue", venue));
    }
    li.appendChild(meta);
    if (emerges) {  // the curator's line, as text
      var line = el("p", "rl-card__summary rl-card__emerges", emerges);
      line.dir = "auto";
      li.appendChild(line);
    }
    if (tags.length) {
      var ul = el("ul", "rl-chips");
      tags.map(function (t) { return M.tags[t]; })
        .sort(function (x, y) { return x[1].localeCompare(y[1], "en"); })
        .forEach(function (tag) {
          var item = el("li"), chip = isolated("a", "rl-chip", tag[1]);
          chip.href = "?tags=" + encodeURIComponent(tag[0]);
          chip.setAttribute("data-tag", tag[0]);
          item.appendChild(chip);
          ul.appendChild(item);
        });
      li.appendChild(ul);
    }
    return li;
  }

  function showMore(focusFirst) {
    var mine = generation, start = shown, rows = Array.from(view.rows.subarray(start, start + PAGE));
    moreButton.disabled = true;
    return cardsFor(rows).then(function (cards) {
      if (mine !== generation) return;
      var fragment = document.createDocumentFragment(), first = null;
      cards.forEach(function (card) {
        var li = cardElement(card);
        if (!first) first = li;
        fragment.appendChild(li);
      });
      resultsEl.appendChild(fragment);
      shown = start + cards.length;
      updateMore();
      if (focusFirst && first) first.querySelector("a").focus();
    });
  }

  function updateMore() {
    var left = view.size - shown;
    moreButton.hidden = left <= 0;
    moreButton.disabled = false;
    moreButton.textContent = "Show " + Math.min(PAGE, left).toLocaleString("en") + " more (of " +
      left.toLocaleString("en") + " not shown)";
  }

  function describe(state) {
    var parts = [];
    if (state.q.trim()) parts.push("“" + state.q.trim() + "”");
    if (state.tags.length) {
      parts.push("tagged " + state.tags.map(function (t) { return M.tags[tagNumber[t]][1]; })
        .join(state.mode === "all" ? " and " : " or "));
    }
    if (state.topic) parts.push("in " + M.topics[topicNumber[state.topic]][1]);
    if (state.from !== null && state.to !== null) parts.push(state.from === state.to ? "from " + state.from : "from " + state.from + " to " + state.to);
    else if (state.from !== null) parts.push("from " + state.from + " on");
    else if (state.to !== null) parts.push("up to " + state.to);
    return parts.join(", ");
  }

  var tagItems = [];       // [{t, li, input, count}]
  var tagSlot = {};        // tag number -> its position in tagItems
  var tagGroups = [];      // [{group: the facet's fieldset, members: its tag numbers}]

  function showCounts(result, state) {
    var approx = result && !result.exact;
    tagItems.forEach(function (item) {
      var n = result && (result.exact || result.known) ? result.counts[item.t] : null;
      var text = n === null ? "" : (approx ? "≈" : "") + n.toLocaleString("en");
      if (item.count.textContent !== text) item.count.textContent = text;
      item.count.title = approx ? "estimated from part of the index" : "";
      item.li.classList.toggle("rl-zero", n === 0 && state.tags.indexOf(M.tags[item.t][0]) < 0);
    });
    root.setAttribute("data-counts", result ? (approx ? "estimated" : "exact") : "none");
  }

  function render(state) {
    var mine = ++generation;
    meter = { bytes: 0 };
    var changeMeter = meter;
    root.setAttribute("aria-busy", "true");
    root.setAttribute("data-status", "busy");
    return compute(state).then(function (computed) {
      if (mine !== generation) return null;
      view = computed;
      current = state;
      shown = 0;
      var firstRows = Array.from(view.rows.subarray(0, PAGE));
      var cardShards = new Set(firstRows.map(function (r) { return Math.floor(r / M.cardRows); }));
      var cardCost = 0;
      cardShards.forEach(function (s) { if (!isLoaded("c/" + s + ".json")) cardCost += M.sizes.cardMean; });
      var budget = { left: Math.min(FACET_BUDGET[1], Math.max(FACET_BUDGET[0], BUDGET - changeMeter.bytes - cardCost - 2048)) };
      var counting = tagCounts(view, budget).then(function (result) {
        if (mine === generation) showCounts(result, state);
      });
      var cards = cardsFor(firstRows).then(function (list) {
        if (mine !== generation) return;
        resultsEl.textContent = "";
        var fragment = document.createDocumentFragment();
        list.forEach(function (card) { fragment.appendChild(cardElement(card)); });
        resultsEl.appendChild(fragment);
        shown = list.length;
        updateMore();
        var what = describe(state);
        statusEl.textContent = plural(view.size, "paper matches", "papers match") + (what ? " " + what : "") + ".";
        root.setAttribute("data-results-at", performance.now().toFixed(1));  // for benchmarks/browse
      });
      return Promise.all([counting, cards]).then(function () {
        if (mine !== generation) return;
        root.removeAttribute("aria-busy");
        root.setAttribute("data-status", "ready");
        root.setAttribute("data-bytes", String(changeMeter.bytes));
      });
    }).catch(function (error) {
      if (mine !== generation) return;
      root.removeAttribute("aria-busy");
      root.setAttribute("data-status", "error");
      statusEl.textContent = "The index could not be loaded (" + error.message + "). Reload the page to try again.";
    });
  }

  /* ---------------------------------------------------------------- controls */

  var typingEntry = false;

  function apply(state, how) {
    var query = queryOf(state);
    if (how !== "none" && query !== location.search) {
      var url = location.pathname + query + location.hash;
      if (how === "type" && typingEntry) history.replaceState({ typing: true }, "", url);
      else history.pushState({ typing: how === "type" }, "", url);
      typingEntry = how === "type";
    } else if (how !== "type") {
      typingEntry = false;
    }
    sortField.hidden = !state.q.trim();
    return render(state);
  }

  function fromControls(how) { apply(stateFromControls(), how); }

  function findTags(text) {   // show the tags whose title holds `text`, and the groups that still have one
    var needle = text.trim().toLowerCase();
    tagItems.forEach(function (item) { item.li.hidden = needle !== "" && item.title.indexOf(needle) < 0; });
    tagGroups.forEach(function (g) {
      g.group.hidden = !g.members.some(function (t) { return !tagItems[tagSlot[t]].li.hidden; });
    });
  }

  function buildControls() {
    M.topics.forEach(function (topic) {
      var option = el("option", "", topic[1]);
      option.value = topic[0];
      topicSelect.appendChild(option);
    });
    M.years.slice().sort(function (a, b) { return a - b; }).forEach(function (year) {
      [fromSelect, toSelect].forEach(function (select) {
        var option = el("option", "", String(year));
        option.value = String(year);
        select.appendChild(option);
      });
    });
    // One group (a fieldset and its legend) per facet, in the manifest's order; by title within a group.
    var order = M.tags.map(function (t, i) { return i; })
      .sort(function (a, b) { return M.tags[a][1].localeCompare(M.tags[b][1], "en") || a - b; });
    var facets = M.facets || [["tags", "Tags"]];
    var lists = facets.map(function () { return null; });
    var fragment = document.createDocumentFragment();
    facets.forEach(function (facet, f) {
      var members = order.filter(function (t) { return (M.tags[t][3] || 0) === f; });
      if (!members.length) return;
      var group = el("fieldset", "rl-tag-group");
      group.setAttribute("data-facet", facet[0]);
      group.appendChild(el("legend", "", facet[1]));
      lists[f] = el("ul", "rl-tag-list");
      group.appendChild(lists[f]);
      fragment.appendChild(group);
      tagGroups.push({ group: group, members: members });
    });
    order.forEach(function (t) {
      var li = el("li", "rl-tag"), input = el("input"), label = el("label"), count = el("span", "rl-tag__count");
      input.type = "checkbox";
      input.id = "rl-tag-" + M.tags[t][0];
      input.value = M.tags[t][0];
      label.htmlFor = input.id;
      label.appendChild(isolated("span", "rl-tag__title", M.tags[t][1]));
      label.appendChild(document.createTextNode(" "));
      label.appendChild(count);
      li.appendChild(input);
      li.appendChild(label);
      lists[M.tags[t][3] || 0].appendChild(li);
      tagSlot[t] = tagItems.length;
      tagItems.push({ t: t, li: li, input: input, count: count, title: M.tags[t][1].toLowerCase() });
    });
    tagList.appendChild(fragment);

    var timer = null;
    qInput.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () { fromControls("type"); }, 60);
    });
    qInput.addEventListener("keydown", function (event) {
      if (event.key !== "Enter") return;
      event.preventDefault();
      clearTimeout(timer);
      typingEntry = false;
      fromControls("push");
    });
    form.addEventListener("change", function (event) {
      if (event.target === qInput || event.target === tagFind) return;
      fromControls("push");
    });
    sortSelect.addEventListener("change", function () { fromControls("push"); });
    tagFind.addEventListener("input", function () { findTags(tagFind.value); });
    clearButton.addEventListener("click", function () {
      tagFind.value = "";
      findTags("");
      var state = readState("");
      showState(state);
      apply(state, "push");
      qInput.focus();
    });
    moreButton.addEventListener("click", function () { showMore(true); });
    resultsEl.addEventListener("click", function (event) {
      var chip = event.target.closest && event.target.closest("a[data-tag]");
      if (!chip || event.ctrlKey || event.metaKey || event.shiftKey || event.button) return;
      event.preventDefault();
      var state = readState("?tags=" + encodeURIComponent(chip.getAttribute("data-tag")));
      showState(state);
      apply(state, "push");
      statusEl.focus();  // the chip clicked is about to be replaced
    });
    copyButton.addEventListener("click", copyBibtex);
    window.addEventListener("popstate", function () {
      typingEntry = false;
      var state = readState(location.search);
      showState(state);
      render(state);
    });
    if (window.matchMedia && window.matchMedia("(max-width: 44.9375em)").matches) {
      root.querySelector(".rl-more-filters").open = false;
    }
  }

  /* ---------------------------------------------------------------- BibTeX */

  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) return navigator.clipboard.writeText(text);
    var area = el("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "fixed";
    area.style.opacity = "0";
    document.body.appendChild(area);
    area.select();
    var ok = document.execCommand("copy");
    document.body.removeChild(area);
    return ok ? Promise.resolve() : Promise.reject(new Error("the browser refused to copy"));
  }

  function copyBibtex() {
    if (!view) return;
    var rows = Array.from(view.rows.subarray(0, COPY_MAX));
    if (!rows.length) { copyStatus.textContent = "No papers to copy."; return; }
    copyButton.disabled = true;
    copyStatus.textContent = "Fetching " + plural(rows.length, "entry", "entries") + "…";
    var shards = [];
    rows.forEach(function (r) { var s = Math.floor(r / M.cardRows); if (shards.indexOf(s) < 0) shards.push(s); });
    Promise.all(shards.map(bibShard)).then(function (got) {
      var byShard = new Map();
      shards.forEach(function (s, k) { byShard.set(s, got[k]); });
      var text = rows.map(function (r) {
        var s = Math.floor(r / M.cardRows);
        return byShard.get(s)[r - s * M.cardRows];
      }).join("\n\n") + "\n";
      root.setAttribute("data-bibtex-entries", String(rows.length));
      return copyText(text).then(function () {
        var all = view.size;
        copyStatus.textContent = all > rows.length
          ? "Copied the first " + plural(rows.length, "BibTeX entry", "BibTeX entries") + " of " + all.toLocaleString("en") +
            " (narrow the filters to copy the rest)."
          : "Copied " + plural(rows.length, "BibTeX entry", "BibTeX entries") + ".";
      });
    }).catch(function (error) {
      copyStatus.textContent = "Could not copy: " + error.message + ".";
    }).then(function () { copyButton.disabled = false; });
  }

  /* ---------------------------------------------------------------- start */

  fetchFile("manifest.json", "json", function (m) { return m; }).then(function (manifest) {
    M = manifest;
    N = M.n;
    W = (N + 31) >>> 5;
    STOP = new Set(M.text.stop);
    M.tags.forEach(function (t, i) { tagNumber[t[0]] = i; });
    M.topics.forEach(function (t, i) { topicNumber[t[0]] = i; });
    buildControls();
    root.hidden = false;
    root.setAttribute("data-ready", "");  // browse.css: the filters' folding is this script's from now on
    var state = readState(initialSearch);
    materialStarted.then(function () {
      if (current === null || current === state) {
        history.replaceState(history.state, "", location.pathname + queryOf(state) + location.hash);
      }
    });
    showState(state);
    return render(state).then(function () {
      // The text index's directory is small: fetch it now, so the first search is quicker.
      if (M.sizes.xdir <= 48 * 1024) {
        (window.requestIdleCallback || setTimeout)(function () { textDir().catch(function () {}); });
      }
    });
  }).catch(function (error) {
    root.hidden = false;
    root.setAttribute("data-status", "error");
    statusEl.textContent = "The index could not be loaded (" + error.message + "). Reload the page to try again.";
  });

  window.rlBrowse = { tokens: function (text) { return tokens(text); } };
})();
