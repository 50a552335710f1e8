/**
 * Who is calling: local users (from plant.yaml, plus those added with the CLI), browser sessions, and API tokens for
 * machines. Secrets are stored only as hashes; a principal is rebuilt from the user's current grants on every
 * request, so a changed grant applies at once.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Principal } from '../../core/access.js';
import { AuthError, NotFoundError } from '../../core/errors.js';
import type { AuditEntryInput } from '../../core/audit.js';
import type { OperationsStore, RecordChange } from '../../core/operations-store.js';
import type { RoleGrant, UserConfig } from '../../core/plant-config.js';
import type { RecordStore } from '../../core/store.js';
import { hashPassword, verifyPassword } from './passwords.js';

const USER = 'user';
const SESSION = 'session';
const TOKEN = 'api-token';
const TOKEN_PREFIX = 'pft_';
const HOUR_MS = 3_600_000;

export interface UserRecord {
  id: string;
  name: string;
  email?: string;
  grants: RoleGrant[];
  passwordHash?: string;
}

interface SessionRecord {
  userId: string;
  createdAt: number;
  expiresAt: number;
}

export interface TokenInfo {
  id: string;
  userId: string;
  name: string;
  createdAt: number;
}

interface TokenRecord extends TokenInfo {
  hash: string;
}

export interface AuthServiceOptions {
  users: readonly UserConfig[];
  records: RecordStore;
  /** Every change (users, sessions, tokens) is committed here with its audit entry. */
  operations: OperationsStore;
  sessionHours: number;
  now?: () => number;
}

function sha256(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

function secret(): string {
  return randomBytes(32).toString('base64url');
}

const FAILED = 'user name or password is wrong';

export class AuthService {
  readonly #configured: Map<string, UserRecord>;
  readonly #records: RecordStore;
  readonly #operations: OperationsStore;
  readonly #sessionMs: number;
  readonly #now: () => number;
  /** Spent on unknown user names too, so response time does not reveal which names exist. */
  #dummyHash: Promise<string> | undefined;

  constructor(options: AuthServiceOptions) {
    this.#configured = new Map(options.users.map((user) => [user.id, { ...user }]));
    this.#records = options.records;
    this.#operations = options.operations;
    this.#sessionMs = options.sessionHours * HOUR_MS;
    this.#now = options.now ?? Date.now;
  }

  /** A user as it stands now: one added with the CLI overrides the plant.yaml entry with the same id. */
  async getUser(id: string): Promise<UserRecord | undefined> {
    return (await this.#records.get<UserRecord>(USER, id)) ?? this.#configured.get(id);
  }

  async listUsers(): Promise<UserRecord[]> {
    const users = new Map(this.#configured);
    for (const { id, value } of await this.#records.list<UserRecord>(USER)) users.set(id, value);
    return [...users.values()].sort((a, b) => a.id.localeCompare(b.id));
  }

  /** Adds or replaces a user kept in the record store; without a password it can act only through tokens. */
  async addUser(user: { id: string; name: string; email?: string; grants: RoleGrant[]; password?: string }, actor = 'system'): Promise<void> {
    const record: UserRecord = { id: user.id, name: user.name, grants: user.grants };
    if (user.email !== undefined) record.email = user.email;
    if (user.password !== undefined) record.passwordHash = await hashPassword(user.password);
    await this.#commit([{ kind: USER, id: user.id, value: record }], {
      actor,
      action: 'user.saved',
      subject: { kind: 'user', id: user.id },
      data: { grants: user.grants, passwordSet: user.password !== undefined },
    });
  }

  /**
   * Writes record changes together with the audit entry that records them. The entry takes the store's (plant) clock,
   * like every other entry, so the ledger reads in one time even when the demo runs plant time ahead.
   */
  async #commit(records: RecordChange[], audit: AuditEntryInput): Promise<void> {
    await this.#operations.commit({ records, audit: [audit] });
  }

  /**
   * Checks a password and opens a session.
   * @throws PF_ERR_AUTH_FAILED (the same for an unknown user and a wrong password)
   */
  async login(username: string, password: string): Promise<{ sessionId: string; expiresAt: number; principal: Principal }> {
    const user = await this.getUser(username);
    // A failed attempt is evidence too (someone guessing passwords); the name tried is recorded, never the password.
    const failed = async (): Promise<never> => {
      await this.#commit([], { actor: 'anonymous', action: 'auth.login.failed', subject: { kind: 'user', id: username.slice(0, 200) } });
      throw new AuthError('PF_ERR_AUTH_FAILED', FAILED);
    };
    if (user?.passwordHash === undefined) {
      this.#dummyHash ??= hashPassword(secret());
      await verifyPassword(password, await this.#dummyHash);
      return failed();
    }
    if (!(await verifyPassword(password, user.passwordHash))) return failed();
    const sessionId = secret();
    const createdAt = this.#now();
    const expiresAt = createdAt + this.#sessionMs;
    const session: SessionRecord = { userId: user.id, createdAt, expiresAt };
    await this.#commit([{ kind: SESSION, id: sha256(sessionId), value: session }], {
      actor: user.id,
      action: 'auth.login.succeeded',
      subject: { kind: 'user', id: user.id },
      data: { expiresAt: new Date(expiresAt).toISOString() },
    });
    return { sessionId, expiresAt, principal: this.#principal(user, 'session') };
  }

  /** The principal of a live session, or undefined for an unknown or expired one. */
  async authenticateSession(sessionId: string): Promise<Principal | undefined> {
    const key = sha256(sessionId);
    const session = await this.#records.get<SessionRecord>(SESSION, key);
    if (session === undefined) return undefined;
    if (session.expiresAt <= this.#now()) {
      await this.#records.delete(SESSION, key);
      return undefined;
    }
    const user = await this.getUser(session.userId);
    return user === undefined ? undefined : this.#principal(user, 'session');
  }

  async logout(sessionId: string): Promise<void> {
    const key = sha256(sessionId);
    const session = await this.#records.get<SessionRecord>(SESSION, key);
    if (session === undefined) return;
    await this.#commit([{ kind: SESSION, id: key, delete: true }], { actor: session.userId, action: 'auth.logout', subject: { kind: 'user', id: session.userId } });
  }

  /**
   * Creates an API token acting as a user; the secret is returned once and stored only as a hash.
   * @throws PF_ERR_NOT_FOUND for an unknown user
   */
  async createToken(userId: string, name: string, actor = 'system'): Promise<{ id: string; token: string }> {
    if ((await this.getUser(userId)) === undefined) throw new NotFoundError('PF_ERR_NOT_FOUND', `no user with id ${userId}`);
    const token = TOKEN_PREFIX + secret();
    const hash = sha256(token);
    const id = `tok-${hash.slice(0, 12)}`;
    const record: TokenRecord = { id, userId, name, createdAt: this.#now(), hash };
    await this.#commit([{ kind: TOKEN, id: hash, value: record }], { actor, action: 'auth.token.created', subject: { kind: 'api-token', id }, data: { userId, name } });
    return { id, token };
  }

  async authenticateToken(token: string): Promise<Principal | undefined> {
    if (!token.startsWith(TOKEN_PREFIX)) return undefined;
    const record = await this.#records.get<TokenRecord>(TOKEN, sha256(token));
    if (record === undefined) return undefined;
    const user = await this.getUser(record.userId);
    return user === undefined ? undefined : this.#principal(user, 'token');
  }

  async listTokens(): Promise<TokenInfo[]> {
    return (await this.#records.list<TokenRecord>(TOKEN)).map(({ value: { id, userId, name, createdAt } }) => ({ id, userId, name, createdAt }));
  }

  /** @throws PF_ERR_NOT_FOUND for an unknown token id */
  async revokeToken(id: string, actor = 'system'): Promise<void> {
    const match = (await this.#records.list<TokenRecord>(TOKEN)).find((entry) => entry.value.id === id);
    if (match === undefined) throw new NotFoundError('PF_ERR_NOT_FOUND', `no token with id ${id}`);
    await this.#commit([{ kind: TOKEN, id: match.id, delete: true }], { actor, action: 'auth.token.revoked', subject: { kind: 'api-token', id }, data: { userId: match.value.userId } });
  }

  #principal(user: UserRecord, via: Principal['via']): Principal {
    return { userId: user.id, name: user.name, grants: user.grants, via };
  }
}
