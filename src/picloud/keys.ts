// Customers' saved SSH public keys: add (pasted or uploaded), list with SHA256 fingerprints, delete.
import type { Actor } from '../core/actor.js';
import { ConflictError, NotFoundError, ValidationError } from '../core/errors.js';
import { newId } from '../core/ids.js';
import type { PicloudContext } from './context.js';
import { parsePublicKeys } from './sshkeys.js';

export interface SshKeyView {
  id: string;
  label: string;
  algorithm: string;
  bits: number;
  fingerprint: string;
  line: string;
  createdAt: string;
}

/** How many keys one account may keep. */
const maxKeys = 50;

export function createKeys(ctx: PicloudContext) {
  const { store } = ctx;
  const view = (r: Awaited<ReturnType<typeof store.keysOf>>[number]): SshKeyView => ({
    id: r.id,
    label: r.label,
    algorithm: r.algorithm,
    bits: r.bits,
    fingerprint: r.fingerprint,
    line: r.line,
    createdAt: r.created_at,
  });

  return {
    list: async (accountId: string) => (await store.keysOf(accountId)).map(view),

    /**
     * Save every key in `text` (one per line); the label names them (numbered when several).
     * Any bad line refuses the lot, with a clear message per line.
     */
    async add(accountId: string, text: string, label: string, actor: Actor): Promise<SshKeyView[]> {
      const keys = parsePublicKeys(text);
      const existing = await store.keysOf(accountId);
      if (existing.length + keys.length > maxKeys)
        throw new ValidationError(`An account may keep at most ${maxKeys} SSH keys.`);
      for (const k of keys) {
        const same = existing.find((e) => e.fingerprint === k.fingerprint);
        if (same)
          throw new ConflictError(
            `You already have this key (${k.fingerprint}) as "${same.label}".`,
          );
      }
      const name = label.trim().slice(0, 100);
      const added: SshKeyView[] = [];
      for (const [i, k] of keys.entries()) {
        const row = {
          id: newId(),
          account_id: accountId,
          label:
            (name || k.comment || `${k.algorithm} key`) +
            (keys.length > 1 && name ? ` ${i + 1}` : ''),
          algorithm: k.algorithm,
          bits: k.bits,
          fingerprint: k.fingerprint,
          line: k.line,
          created_at: ctx.now(),
        };
        await store.insertKey(row);
        added.push(view(row));
        await ctx.audit.record({
          actor,
          ownerAccountId: accountId,
          action: 'pi.ssh_key_added',
          objectType: 'ssh_key',
          objectId: row.id,
          after: { label: row.label, fingerprint: row.fingerprint },
        });
      }
      return added;
    },

    async remove(accountId: string, id: string, actor: Actor): Promise<void> {
      const key = (await store.keysOf(accountId)).find((k) => k.id === id);
      if (!key || !(await store.deleteKey(accountId, id))) throw new NotFoundError('SSH key');
      await ctx.audit.record({
        actor,
        ownerAccountId: accountId,
        action: 'pi.ssh_key_deleted',
        objectType: 'ssh_key',
        objectId: id,
        before: { label: key.label, fingerprint: key.fingerprint },
      });
    },

    /** The saved keys with these ids, as authorized_keys lines; an unknown id is refused. */
    async lines(accountId: string, ids: readonly string[]): Promise<string[]> {
      const keys = await store.keysOf(accountId);
      return ids.map((id) => {
        const k = keys.find((x) => x.id === id);
        if (!k) throw new ValidationError('One of the chosen SSH keys no longer exists.');
        return k.line;
      });
    },
  };
}

export type Keys = ReturnType<typeof createKeys>;
