// A child process for tests/db/database-faults.test.ts: one write transaction (the app's
// own, src/db/transaction.ts) that creates actors one after another and never ends on its
// own; it prints "writing" once it has written some, so the test can SIGKILL it mid-way.
import { connectDatabase } from '../../src/db/prisma.js';
import { writeTransaction } from '../../src/db/transaction.js';

const [url, prefix] = process.argv.slice(2);
const database = await connectDatabase(url);
await writeTransaction(database)(async (tx) => {
  for (let i = 0; ; i++) {
    await tx.actor.create({ data: { id: `${prefix}${String(i).padStart(6, '0')}`, name: `Crash test actor ${i}`, kind: 'person' } });
    if (i === 200) process.stdout.write('writing\n');
    if (i > 1_000_000) throw new Error('never killed');
  }
});
