/**
 * The benchmark's HTTP target, run as its own process so its work does not count as the
 * engine's: answers every request at once and keeps, per request, how late it arrived
 * (arrival minus X-Ploy-Scheduled-At) and whether its (job, time) was seen before.
 * `GET /report` returns the figures as JSON.
 */
import http from 'node:http';

/** [scheduled time, ms late] per request. */
const lateness: Array<[number, number]> = [];
const seen = new Set<string>();
let duplicates = 0;

const server = http.createServer((req, res) => {
  if (req.url === '/report') {
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ lateness, duplicates, requests: lateness.length }));
    return;
  }
  const at = req.headers['x-ploy-scheduled-at'];
  if (typeof at === 'string') {
    const scheduled = Date.parse(at);
    lateness.push([scheduled, Date.now() - scheduled]);
    const key = `${req.headers['x-ploy-job']}@${at}`;
    if (seen.has(key)) duplicates++;
    seen.add(key);
  }
  res.end('ok');
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => {
  process.stdout.write(`${(server.address() as { port: number }).port}\n`);
});
