// 50 clients (or $CLIENTS), each on a residential area of its own, for $SECONDS seconds: record
// a document of the area through the API, then read the area's verdict at once. Prints the
// reads' latency percentiles, how many answered with the last complete verdicts while newer
// ones were computed (`updating`), and the writes per second. Usage: node scripts/write-read.mjs URL TOKEN CAMPAIGN
const [url, token, cid] = process.argv.slice(2);
const clients = Number(process.env.CLIENTS ?? 50);
const seconds = Number(process.env.SECONDS ?? 20);
const auth = { Authorization: `Bearer ${token}` };

async function json(path, init = {}) {
  const r = await fetch(url + path, { ...init, headers: { ...auth, 'Content-Type': 'application/json', ...(init.headers ?? {}) } });
  const body = r.status === 204 ? null : await r.json();
  if (!r.ok) throw new Error(`${init.method ?? 'GET'} ${path}: ${r.status} ${JSON.stringify(body)}`);
  return body;
}

const areas = [];
for (let page = 1; areas.length < clients; page++) {
  const found = await json(`/api/v1/units?type=residential_area&per_page=200&page=${page}`);
  const items = found.items ?? found.units ?? found;
  if (!items.length) break;
  areas.push(...items.map((u) => u.id));
}
if (areas.length < clients) throw new Error(`only ${areas.length} residential areas`);

const reads = [];
let writes = 0;
let updating = 0;
const until = Date.now() + seconds * 1000;
await Promise.all(
  areas.slice(0, clients).map(async (uid, i) => {
    for (let n = 0; Date.now() < until; n++) {
      await json(`/api/v1/campaigns/${cid}/units/${uid}/facts/documents`, {
        method: 'POST',
        body: JSON.stringify({ kind: 'internal_rules', number: `${i}-${n}/NQ`, issued_on: null }),
      });
      writes++;
      const started = performance.now();
      const verdict = await json(`/api/v1/campaigns/${cid}/units/${uid}/verdict`);
      reads.push(performance.now() - started);
      if (verdict.updating) updating++;
    }
  }),
);
reads.sort((a, b) => a - b);
const p = (q) => reads[Math.min(reads.length - 1, Math.round((reads.length - 1) * q))].toFixed(1);
console.log(`${clients} clients, ${seconds} s: ${writes} writes (${(writes / seconds).toFixed(0)}/s), ${reads.length} reads`);
console.log(`read after own write: p50 ${p(0.5)} ms, p95 ${p(0.95)} ms, p99 ${p(0.99)} ms, max ${reads.at(-1).toFixed(1)} ms`);
console.log(`answered "updating" (last complete verdicts): ${updating} of ${reads.length}`);
