// The explorer: one selection (the word) shared by every view, the whole state in the address bar
// (#view=word&word=bank&...), one module per view, and the API of `contextlens serve`.
import * as word from './views/word.js';
import * as context from './views/context.js';
import * as attention from './views/attention.js';
import * as journey from './views/journey.js';
import * as search from './views/search.js';
import * as index from './views/index.js';

const VIEWS = {word, context, attention, journey, search, index};
const LABELS = {word: 'Word', context: 'Context', attention: 'Attention', journey: 'Journey', search: 'Search', index: 'Index'};

/** An answer of the API other than 200: its status and the server's message. */
export class ApiError extends Error {
  constructor(message, status) {
    super(message);
    this.status = status;
  }
}

const cache = new Map();

/** GET /api/{command} with the CLI's option names; answers are cached (the index is read-only). */
export function api(command, params = {}) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    if (v !== undefined && v !== null && v !== '' && v !== false) q.set(k, v === true ? 'true' : String(v));
  }
  const url = `api/${command}?${q}`;
  if (!cache.has(url)) {
    const p = fetch(url).then(async r => {
      const body = await r.json().catch(() => ({error: `HTTP ${r.status} from ${url}`}));
      if (!r.ok) throw new ApiError(body.error || `HTTP ${r.status}`, r.status);
      return body;
    });
    p.catch(() => cache.delete(url));
    cache.set(url, p);
    if (cache.size > 200) cache.delete(cache.keys().next().value);
  }
  return cache.get(url);
}

function readState() {
  return Object.fromEntries(new URLSearchParams(location.hash.slice(1)));
}

/** Merges `patch` into the state (null or '' removes a key) and renders; `replace` keeps history as it is. */
export function setState(patch, replace = false) {
  const s = {...readState(), ...patch};
  for (const k of Object.keys(s)) if (s[k] === null || s[k] === undefined || s[k] === '') delete s[k];
  const hash = '#' + new URLSearchParams(s).toString();
  if (hash === location.hash) return render();
  if (replace) {
    history.replaceState(null, '', hash);
    render();
  } else {
    location.hash = hash; // hashchange renders
  }
}

/** Makes `w` the subject of every view. */
export function select(w) {
  setState({word: w});
}

export function showError(message) {
  const box = document.getElementById('error');
  box.textContent = message;
  box.hidden = false;
}

let renderCount = 0;
let stats = null;

async function render() {
  const state = readState();
  const view = VIEWS[state.view] ? state.view : 'word';
  const token = ++renderCount;
  document.body.dataset.busy = 'true';
  document.getElementById('error').hidden = true;
  for (const a of document.querySelectorAll('#tabs a')) a.classList.toggle('active', a.dataset.view === view);
  document.getElementById('selected-word').value = state.word || '';
  const root = document.getElementById('view');
  root.replaceChildren();
  root.dataset.view = view;
  const ctx = {state, api, set: setState, select, stats, live: () => token === renderCount};
  try {
    if (!stats) {
      stats = await api('stats');
      ctx.stats = stats;
      document.getElementById('index-name').textContent =
        `${stats.documents} documents · ${stats.occurrences} occurrences · model ${stats.model}`;
    }
    await VIEWS[view].render(root, ctx);
  } catch (e) {
    if (ctx.live()) showError(e.message);
  } finally {
    if (ctx.live()) document.body.dataset.busy = 'false';
  }
}

function init() {
  const tabs = document.getElementById('tabs');
  for (const [v, label] of Object.entries(LABELS)) {
    const a = document.createElement('a');
    a.href = '#';
    a.dataset.view = v;
    a.textContent = label;
    a.addEventListener('click', e => {
      e.preventDefault();
      setState({view: v});
    });
    tabs.append(a);
  }
  document.getElementById('selection').addEventListener('submit', e => {
    e.preventDefault();
    select(document.getElementById('selected-word').value.trim());
  });
  window.addEventListener('hashchange', render);
  render();
}

init();
