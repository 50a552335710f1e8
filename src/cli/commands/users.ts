/**
 * `plantfabric users ...` and `plantfabric tokens ...`: local accounts for people and API tokens for machines.
 * Passwords are read from standard input, never from the command line (it would land in shell history).
 */
import { InvalidArgumentError, type Command } from 'commander';
import { ROLES, type Role, type RoleGrant } from '../../core/plant-config.js';
import { hashPassword } from '../../api/auth/passwords.js';
import { cliActor, dataOptions, type CoreCommandOptions, withCore } from '../with-core.js';

const MIN_PASSWORD_LENGTH = 8;

/** `role=area1,area2` or `role=*`. */
function parseGrant(value: string, previous: RoleGrant[] = []): RoleGrant[] {
  const [role, areas] = value.split('=');
  if (role === undefined || !(ROLES as readonly string[]).includes(role) || areas === undefined || areas === '') {
    throw new InvalidArgumentError(`a grant is role=area[,area] or role=*, with role one of ${ROLES.join(', ')}`);
  }
  return [...previous, { role: role as Role, areas: areas.split(',').map((area) => area.trim()) }];
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
}

async function readPassword(): Promise<string> {
  if (process.stdin.isTTY) throw new InvalidArgumentError('pipe the password on standard input, e.g. `printf %s "$PW" | plantfabric ...`');
  const password = await readStdin();
  if (password.length < MIN_PASSWORD_LENGTH) throw new InvalidArgumentError(`a password needs at least ${MIN_PASSWORD_LENGTH} characters`);
  return password;
}

export function registerUsers(program: Command): void {
  const users = program.command('users').description('local user accounts');

  users
    .command('hash-password')
    .description('read a password on standard input and print its scrypt hash for plant.yaml (passwordHash)')
    .action(async () => {
      console.log(await hashPassword(await readPassword()));
    });

  dataOptions(users.command('add <id>'))
    .description('add or replace a user kept in the data folder; the password is read from standard input')
    .requiredOption('--name <name>', 'display name')
    .requiredOption('--grant <role=areas>', 'a role and the areas it covers, e.g. operator=assembly or admin=* (repeatable)', parseGrant)
    .option('--email <address>', 'for notifications')
    .option('--no-password', 'a machine identity that signs in only with API tokens')
    .action(async (id: string, options: CoreCommandOptions & { name: string; grant: RoleGrant[]; email?: string; password: boolean }) => {
      const password = options.password ? await readPassword() : undefined;
      await withCore(options, async (core) => {
        await core.auth.addUser({
          id,
          name: options.name,
          grants: options.grant,
          ...(options.email === undefined ? {} : { email: options.email }),
          ...(password === undefined ? {} : { password }),
        }, cliActor());
        console.log(`user ${id} saved with ${options.grant.map((grant) => `${grant.role}=${grant.areas.join(',')}`).join(' ')}`);
      });
    });

  const tokens = program.command('tokens').description('API tokens for machines and scripts (Authorization: Bearer ...)');

  dataOptions(tokens.command('create'))
    .description('create a token acting as a user; it is printed once and stored only as a hash')
    .requiredOption('--user <id>', 'the user the token acts as (its grants apply)')
    .requiredOption('--name <name>', 'what the token is for, e.g. line-1-gateway')
    .action(async (options: CoreCommandOptions & { user: string; name: string }) => {
      await withCore(options, async (core) => {
        const created = await core.auth.createToken(options.user, options.name, cliActor());
        console.log(created.token);
        console.error(`token ${created.id} for ${options.user} created; store it now, it cannot be shown again`);
      });
    });

  dataOptions(tokens.command('list'))
    .description('list tokens (never their secret)')
    .action(async (options: CoreCommandOptions) => {
      await withCore(options, async (core) => {
        const list = await core.auth.listTokens();
        if (list.length === 0) console.log('no tokens');
        for (const token of list) console.log(`${token.id}  ${token.userId}  ${token.name}  created ${new Date(token.createdAt).toISOString()}`);
      });
    });

  dataOptions(tokens.command('revoke <id>'))
    .description('revoke a token at once')
    .action(async (id: string, options: CoreCommandOptions) => {
      await withCore(options, async (core) => {
        await core.auth.revokeToken(id, cliActor());
        console.log(`revoked ${id}`);
      });
    });
}
