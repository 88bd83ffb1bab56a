// The site's search, in the reader's browser: reads search/index.json,
// then only the pieces of the index the query's words need (the format is
// glossary's crates/site/src/search/). No dependencies, no WebAssembly.
(() => {
  'use strict';
  const form = document.getElementById('search');
  if (!form || !window.fetch) return;
  const input = form.elements.q;
  const status = document.getElementById('status');
  const list = document.getElementById('results');
  const more = document.getElementById('more');
  const root = new URL('search/', document.baseURI);
  const PAGE = 10;

  const pieces = new Map();
  const get = (path) => {
    if (!pieces.has(path)) {
      pieces.set(path, fetch(new URL(path, root)).then((r) => {
        if (!r.ok) throw new Error(`${path}: ${r.status}`);
        return r.json();
      }));
    }
    return pieces.get(path);
  };

  // The words of a text: as the index's (crates/site/src/search/tokens.rs).
  const wordsOf = (text, stop) => text.toLowerCase().normalize('NFD')
    .replace(/\p{M}/gu, '').split(/[^\p{L}\p{N}]+/u)
    .filter((w) => { const n = [...w].length; return n >= 2 && n <= 40 && !stop.includes(w); });

  // Lists of record numbers are gaps; a word's have the weight below.
  const ids = (gaps) => { let id = 0; return gaps.map((g) => (id += g)); };

  // The segments, each with its meta.json.
  const segments = async () => {
    const index = await get('index.json');
    const metas = await Promise.all(index.segments.map((s) => get(`${s}/meta.json`)));
    return { index, segs: index.segments.map((name, i) => ({ name, meta: metas[i] })) };
  };

  // Record number -> score of `word` in a segment: the word itself counts
  // twice, a longer word it begins once, each by its weight there.
  const scores = async (seg, word) => {
    const firsts = seg.meta.words;
    let lo = 0, hi = firsts.length;
    while (lo < hi) { const mid = (lo + hi) >> 1; if (firsts[mid] <= word) lo = mid + 1; else hi = mid; }
    const files = [];
    for (let f = Math.max(0, lo - 1); f < firsts.length && files.length < 6; f++) {
      if (f >= lo && !firsts[f].startsWith(word)) break;
      files.push(f);
    }
    const found = new Map();
    for (const words of await Promise.all(files.map((f) => get(`${seg.name}/w-${f}.json`)))) {
      for (const [w, codes] of Object.entries(words)) {
        if (!w.startsWith(word)) continue;
        const times = w === word ? 2 : 1;
        let id = 0;
        for (const c of codes) {
          id += c >>> 3;
          const s = (c & 7) * times;
          if (s > (found.get(id) || 0)) found.set(id, s);
        }
      }
    }
    return found;
  };

  const shown = async (seg, id) => {
    const per = seg.meta.per;
    const row = (await get(`${seg.name}/d-${Math.floor(id / per)}.json`))[id % per];
    return { url: row[0], title: row[1], excerpt: row[2], term: id >= seg.meta.terms };
  };

  // The FAQs of the article at `url` that hold every word, read from the
  // page itself (the one the reader's click fetches anyway).
  const pages = new Map();
  const answers = async (url, words, stop) => {
    if (!pages.has(url)) {
      pages.set(url, fetch(new URL(url, document.baseURI)).then((r) => (r.ok ? r.text() : ''))
        .then((html) => new DOMParser().parseFromString(html, 'text/html')));
    }
    const page = await pages.get(url);
    const found = [];
    for (const h of page.querySelectorAll('.faq h3[id]')) {
      const next = h.nextElementSibling;
      const answer = next && next.tagName === 'P' ? next.textContent : '';
      const has = wordsOf(`${h.textContent} ${answer}`, stop);
      if (words.every((q) => has.some((w) => w.startsWith(q)))) {
        found.push({ url: `${url}#${h.id}`, title: h.textContent, excerpt: answer });
      }
    }
    return found;
  };

  // Every record with all the query's words, best first.
  const search = async (words, kind, domain) => {
    const { segs } = await segments();
    const dead = new Set(segs.length > 1 ? ids(segs[1].meta.dead) : []);
    const hits = [];
    for (const [i, seg] of segs.entries()) {
      const each = await Promise.all(words.map((w) => scores(seg, w)));
      let inDomain = null;
      if (domain) {
        const n = seg.meta.domains[domain];
        inDomain = new Set(n === undefined ? [] : ids(await get(`${seg.name}/x-${n}.json`)));
      }
      each.sort((a, b) => a.size - b.size);
      for (const [id, first] of each[0]) {
        if (i === 0 && dead.has(id)) continue;
        if (kind && (kind === 'term') !== (id >= seg.meta.terms)) continue;
        if (inDomain && !inDomain.has(id)) continue;
        let score = first;
        for (const other of each.slice(1)) {
          const s = other.get(id);
          if (s === undefined) { score = -1; break; }
          score += s;
        }
        if (score > 0) hits.push({ seg, i, id, score });
      }
    }
    hits.sort((a, b) => b.score - a.score || b.i - a.i || a.id - b.id);
    return hits;
  };

  // A text with the query's words marked, built as nodes (never as HTML),
  // cut at about 200 characters.
  const marked = (text, words, stop) => {
    const p = document.createElement('p');
    const cut = text.length > 200 ? `${text.slice(0, 200).replace(/\s+\S*$/u, '')}…` : text;
    for (const part of cut.split(/([\p{L}\p{N}\p{M}]+)/u)) {
      const w = wordsOf(part, stop)[0];
      if (w && words.some((q) => w.startsWith(q))) {
        const m = document.createElement('mark');
        m.textContent = part;
        p.append(m);
      } else {
        p.append(part);
      }
    }
    return p;
  };

  const link = (url, title) => {
    const a = document.createElement('a');
    a.href = url;
    a.textContent = title;
    return a;
  };

  // The next page of results; an article's FAQs that answer, under it.
  let run = 0;
  let rest = null;
  const show = async (state) => {
    const { hits, words, stop, mine } = state;
    const end = Math.min(hits.length, state.next + PAGE);
    const docs = await Promise.all(hits.slice(state.next, end).map((h) => shown(h.seg, h.id)));
    if (mine !== run) return;
    state.next = end;
    for (const doc of docs) {
      const item = document.createElement('li');
      const kind = document.createElement('span');
      kind.className = 'kind';
      kind.textContent = doc.term ? ' Term' : ' Article';
      item.append(link(doc.url, doc.title), kind, marked(doc.excerpt, words, stop));
      list.append(item);
      if (doc.term) continue;
      answers(doc.url, words, stop).then((faqs) => {
        if (mine !== run || !faqs.length) return;
        const sub = document.createElement('ul');
        for (const f of faqs.slice(0, 3)) {
          const li = document.createElement('li');
          li.append(link(f.url, f.title), marked(f.excerpt, words, stop));
          sub.append(li);
        }
        item.append(sub);
      }).catch(() => {});
    }
    more.hidden = state.next >= hits.length;
  };

  const update = async () => {
    const mine = ++run;
    const params = new URLSearchParams(new FormData(form));
    for (const [k, v] of [...params]) if (!v) params.delete(k);
    const address = `${location.pathname}${params.size ? `?${params}` : ''}`;
    if (`${location.pathname}${location.search}` !== address) history.replaceState(null, '', address);
    list.replaceChildren();
    more.hidden = true;
    rest = null;
    try {
      const { index } = await segments();
      const words = wordsOf(input.value, index.stop);
      if (!words.length) {
        if (mine === run) status.textContent = input.value.trim() ? 'Type a longer word.' : '';
        return;
      }
      const hits = await search(words, form.elements.kind.value, form.elements.domain ? form.elements.domain.value : '');
      if (mine !== run) return;
      status.textContent = hits.length
        ? `${hits.length} ${hits.length === 1 ? 'page' : 'pages'} for “${input.value.trim()}”.`
        : `Nothing found for “${input.value.trim()}”.`;
      rest = { hits, words, stop: index.stop, mine, next: 0 };
      await show(rest);
    } catch (e) {
      if (mine === run) status.textContent = `Search is not available: ${e.message}`;
    }
  };

  let timer = 0;
  const soon = () => { clearTimeout(timer); timer = setTimeout(update, 120); };
  const params = new URLSearchParams(location.search);
  input.value = params.get('q') || '';
  for (const r of form.elements.kind) r.checked = r.value === (params.get('kind') || '');
  if (form.elements.domain) form.elements.domain.value = params.get('domain') || '';
  form.addEventListener('submit', (e) => { e.preventDefault(); update(); });
  form.addEventListener('input', soon);
  form.addEventListener('change', soon);
  more.addEventListener('click', () => {
    if (rest) show(rest);
  });
  if (input.value) update();
})();
