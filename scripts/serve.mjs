#!/usr/bin/env node
// A small static server for dist/: serves precompressed .br/.gz copies when the browser accepts
// them, with the right Content-Type and Content-Encoding. Local use and tests only.
//   node scripts/serve.mjs [dir] [--port N] [--host H]   (port 0 picks a free one)
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';

const args = process.argv.slice(2);
let dir = 'dist';
let port = 8000;
let host = '127.0.0.1';
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--port') port = Number(args[++i]);
  else if (args[i] === '--host') host = args[++i];
  else dir = args[i];
}
const root = path.resolve(dir);
if (!fs.existsSync(path.join(root, 'index.html'))) {
  console.error(`serve: ${root}/index.html not found (run npm run build)`);
  process.exit(1);
}

const types = {
  '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm', '.css': 'text/css; charset=utf-8', '.json': 'application/json; charset=utf-8',
  '.csv': 'text/csv; charset=utf-8', '.otf': 'font/otf', '.ttf': 'font/ttf', '.png': 'image/png',
  '.svg': 'image/svg+xml', '.txt': 'text/plain; charset=utf-8', '.ico': 'image/x-icon',
};

const server = http.createServer((req, res) => {
  let pathname;
  try {
    pathname = decodeURIComponent(new URL(req.url, 'http://x').pathname);
  } catch {
    res.writeHead(400).end('bad request');
    return;
  }
  if (pathname.endsWith('/')) pathname += 'index.html';
  const file = path.join(root, pathname);
  if (!file.startsWith(root + path.sep) || pathname.includes('\0')) {
    res.writeHead(403).end('forbidden');
    return;
  }
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { Allow: 'GET, HEAD' }).end();
    return;
  }
  const accept = String(req.headers['accept-encoding'] || '');
  const candidates = [];
  if (/\bbr\b/.test(accept)) candidates.push([file + '.br', 'br']);
  if (/\bgzip\b/.test(accept)) candidates.push([file + '.gz', 'gzip']);
  candidates.push([file, null]);
  for (const [f, enc] of candidates) {
    let st;
    try { st = fs.statSync(f); } catch { continue; }
    if (!st.isFile()) continue;
    const headers = {
      'Content-Type': types[path.extname(file).toLowerCase()] || 'application/octet-stream',
      'Content-Length': st.size,
      'Cache-Control': 'no-cache',
      'X-Content-Type-Options': 'nosniff',
      Vary: 'Accept-Encoding',
    };
    if (enc) headers['Content-Encoding'] = enc;
    res.writeHead(200, headers);
    if (req.method === 'HEAD') res.end();
    else fs.createReadStream(f).pipe(res);
    return;
  }
  res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' }).end('not found');
});

server.listen(port, host, () => {
  const a = server.address();
  console.log(`hfrec: serving ${root} at http://${host === '0.0.0.0' ? 'localhost' : host}:${a.port}/`);
});
