// Prints the gzipped bytes of JS and CSS a browser loads for each screen of the built SPA:
// index.html's entry with its static imports, plus the screen's lazy chunk and its static
// imports. Reads dist/ as `npm run build` left it (the Vite manifest); builds nothing.
import { readFileSync, existsSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';

const dist = fileURLToPath(new URL('../dist/', import.meta.url));
const manifestPath = `${dist}.vite/manifest.json`;
if (!existsSync(manifestPath)) {
  console.error('dist/.vite/manifest.json not found: run `npm run build` first.');
  process.exit(1);
}
const manifest = JSON.parse(readFileSync(manifestPath, 'utf8'));

/** Files a chunk needs before it runs: itself, its CSS, and the same for its static imports. */
function closure(key, files = new Set()) {
  const chunk = manifest[key];
  if (!chunk || files.has(chunk.file)) return files;
  files.add(chunk.file);
  for (const css of chunk.css ?? []) files.add(css);
  for (const imported of chunk.imports ?? []) closure(imported, files);
  return files;
}

function findKey(suffix) {
  const key = Object.keys(manifest).find((name) => name.endsWith(suffix));
  if (!key) throw new Error(`no chunk for ${suffix} in the manifest`);
  return key;
}

const gz = (file) => gzipSync(readFileSync(`${dist}${file}`), { level: 9 }).length;

function measure(keys) {
  const files = new Set();
  for (const key of keys) closure(key, files);
  let js = 0;
  let css = 0;
  for (const file of files) {
    if (file.endsWith('.js')) js += gz(file);
    else if (file.endsWith('.css')) css += gz(file);
  }
  return { files: files.size, js, css, total: js + css };
}

const entry = Object.keys(manifest).find((key) => manifest[key].isEntry);
const screens = {
  'login page (/login)': measure([entry, findKey('src/features/auth/LoginPage.tsx')]),
  'table page (/keys)': measure([entry, findKey('src/features/keys/KeysPage.tsx')]),
};

// The most a screen may weigh (total gzip); `npm run size` fails above it.
const BUDGETS = { 'table page (/keys)': 300 * 1024 };

const kb = (bytes) => `${(bytes / 1024).toFixed(1)} kB`;
const rows = Object.entries(screens).map(([name, s]) => [
  name,
  String(s.files),
  kb(s.js),
  kb(s.css),
  kb(s.total),
]);
const header = ['screen', 'files', 'JS gzip', 'CSS gzip', 'total gzip'];
const widths = header.map((title, i) =>
  Math.max(title.length, ...rows.map((row) => row[i].length)),
);
const line = (cells) =>
  cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  ');
console.log(line(header));
console.log(widths.map((w) => '-'.repeat(w)).join('  '));
for (const row of rows) console.log(line(row));
console.log(
  "\n(gzip level 9; deferred chunks such as the notification toaster and the drawer's usage" +
    ' panel are not counted)',
);
for (const [name, budget] of Object.entries(BUDGETS)) {
  const total = screens[name].total;
  if (total > budget) {
    console.error(`${name}: ${kb(total)} is over its budget of ${kb(budget)}`);
    process.exitCode = 1;
  } else {
    console.log(`${name}: ${kb(total)} of its ${kb(budget)} budget`);
  }
}
