/**
 * `triage customers export|erase <customerId> [--channel c]`: one customer's data from the
 * command line, recorded in the audit log like the admin routes (as `cli:<local user>`).
 */
import { writeFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { createCredentialStore } from '../auth/credentials.js';
import type { DatabaseHandle } from '../db/database.js';
import { createCustomerService } from '../customers/customer.service.js';
import { systemClock } from '../time/clock.js';
import { withDatabase } from './admin.js';
import { cliActor } from './cli-actor.js';

function customerService(database: DatabaseHandle) {
  return createCustomerService({
    db: database.db,
    clock: systemClock,
    subjectKey: () => createCredentialStore(database.db).sharedSecret('customer_subject_key'),
  });
}

export function registerCustomerCommands(program: Command) {
  const customers = program
    .command('customers')
    .description("one customer's data: export or erase");
  customers
    .command('export')
    .description(
      'print everything stored about a customer as JSON: conversations, messages, triage results, tickets, agent actions, deliveries, audit entries',
    )
    .argument('<customerId>', "the channel's customer id")
    .option('--channel <channel>', 'the channel the id belongs to (needed when several use it)')
    .option('--out <file>', 'write the JSON to this file (default: stdout)')
    .action(async (customerId: string, options: { channel?: string; out?: string }) => {
      const exported = await withDatabase((database) =>
        customerService(database).export({ customerId, channel: options.channel }, cliActor()),
      );
      const json = `${JSON.stringify(exported, null, 2)}\n`;
      if (options.out) {
        await writeFile(options.out, json, { mode: 0o600 });
        console.error(
          `${exported.conversations.length} conversations of customer ${customerId} written to ${options.out}`,
        );
      } else process.stdout.write(json);
    });
  customers
    .command('erase')
    .description(
      'delete everything stored about a customer (conversations, messages, triage results, tickets, drafts, agent actions, deliveries, audit entries about them); the audit log keeps a hash of the id',
    )
    .argument('<customerId>', "the channel's customer id")
    .option('--channel <channel>', 'the channel the id belongs to (needed when several use it)')
    .option('--yes', 'really erase (it cannot be undone)')
    .action(async (customerId: string, options: { channel?: string; yes?: boolean }) => {
      if (!options.yes) {
        console.error(
          `erase deletes everything stored about customer ${customerId} and cannot be undone: run it again with --yes (customers export first keeps a copy)`,
        );
        process.exitCode = 1;
        return;
      }
      const report = await withDatabase((database) =>
        customerService(database).erase({ customerId, channel: options.channel }, cliActor()),
      );
      const { related, ...own } = report.erased;
      const counts = [...Object.entries(own), ...Object.entries(related)]
        .map(([what, count]) => `${count} ${what}`)
        .join(', ');
      console.log(
        `erased customer ${customerId} (${report.channels.join(', ')}): ${counts}; audit subject ${report.subjectId}`,
      );
    });
}
