'use strict';
/** The kernel's table as a fresh process with a fresh linux adapter reads it (one dump), then exits. */
const { fail } = require('../lib/child.js');
const { load } = require('../lib/library.js');
const { toPlain } = require('../lib/rows.js');

const opts = JSON.parse(process.argv[2]);
(async () => {
  const lib = load(opts.dist, 'src/index.js');
  const adapter = load(opts.dist, 'adapters/linux/index.js').linuxAdapter({ netns: opts.netns });
  const rows = await adapter.getIpInterfaceTable(lib.AF_UNSPEC);
  process.send({ type: 'table', rows: rows.map(toPlain) }, () => process.exit(0));
})().catch(fail);
