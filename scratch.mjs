import { parseAllDocuments, LineCounter, Parser, Composer } from 'yaml';
const doc = `kind: Monitor\nname: m\ntcp: {host: "${'h'.repeat(60)}", port: 80}\n---\n`;
for (const mb of [0.5, 1, 2, 4.9]) {
  const text = doc.repeat(Math.floor(mb*1e6 / doc.length));
  let t=Date.now(); parseAllDocuments(text); const a = Date.now()-t;
  t=Date.now(); parseAllDocuments(text, { lineCounter: new LineCounter(), uniqueKeys: true, prettyErrors: false, merge: true }); const b = Date.now()-t;
  t=Date.now(); let n=0; for (const _ of new Parser().parse(text)) n++; const c = Date.now()-t;
  console.log(mb, 'MB plain', a, 'opts', b, 'cst-only', c);
}
const one = `kind: Monitor\nname: m\ntcp: {host: "${'h'.repeat(4.9e6)}", port: 80}\n`;
let t=Date.now(); parseAllDocuments(one); console.log('one big doc', Date.now()-t);
