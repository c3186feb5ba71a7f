// Prints an Arrow IPC file as JSON: {columns: {name: {type, values}}}. Used by the export test to compare
// what a non-Java Arrow implementation reads with what cellar stored.
import { readFileSync } from 'node:fs';
import { tableFromIPC } from 'apache-arrow';

const table = tableFromIPC(readFileSync(process.argv[2]));
const out = { numRows: table.numRows, columns: {} };
for (const field of table.schema.fields) {
  const col = table.getChild(field.name);
  const values = [];
  for (let i = 0; i < col.length; i++) {
    let v = col.get(i);
    if (v !== null && typeof v === 'object' && typeof v.toArray === 'function') v = Array.from(v.toArray(), x => typeof x === 'bigint' ? x.toString() : x);
    else if (ArrayBuffer.isView(v)) v = Array.from(v);
    if (typeof v === 'bigint') v = v.toString();
    values.push(v);
  }
  out.columns[field.name] = { type: String(field.type), values };
}
console.log(JSON.stringify(out));
