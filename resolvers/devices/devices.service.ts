import { LockMode, UniqueConstraintViolationException } from "@mikro-orm/core";
import type { EntityManager } from "@mikro-orm/postgresql";
import { BackfillStatus, DeviceConnection, DeviceConnectionStatus } from "../../entities/devices/device-connection.entity";
import { DeviceLinkToken } from "../../entities/devices/device-link-token.entity";
import { OAuthLinkState } from "../../entities/devices/oauth-link-state.entity";
import { User } from "../../entities/users/user.entity";
import type { Page, PageArgs } from "../../schema/_shared/pagination";
import type { RegisterNativeDeviceInput } from "../../schema/devices/device.input";
import type { DeviceProviderType, DeviceStatusType, DeviceType, NativeDeviceRegistrationType } from "../../schema/devices/device.type";
import type { Context } from "../_shared/context";
import { notFound } from "../_shared/errors";
import { DEVICE_JOB_TYPES } from "./device-jobs";
import { DeviceLinksService } from "./device-links.service";
import { createDeviceLoaders, type DeviceLoaders } from "./devices.loaders";
import { toDevice, toProvider, toStatus } from "./devices.mapper";
import { revokeToken, type TokenSet } from "./oauth-client";
import { purgeProviderData } from "./provider-data";
import { DEVICE_PROVIDERS, NATIVE_PLATFORM_PROVIDERS, findProvider, isConfigured, oauthConfigFor, type DeviceProvider } from "./providers";
import { FRESH_WITHIN_MS, lastDataByResource } from "../metrics";

const IN_FLIGHT = new Set<BackfillStatus | null | undefined>([BackfillStatus.pending, BackfillStatus.in_progress]);

export class DevicesService {
  private _links?: DeviceLinksService;
  private _loaders?: DeviceLoaders;
  constructor(private readonly ctx: Context) {}

  /** Link tokens, OAuth URLs and the OAuth callback. */
  get links(): DeviceLinksService {
    return (this._links ??= new DeviceLinksService(this.ctx));
  }

  get loaders(): DeviceLoaders {
    return (this._loaders ??= createDeviceLoaders(this.ctx));
  }

  /** The static catalogue: no credential needed (one that is sent is still authenticated). */
  providers(args: PageArgs): Page<DeviceProviderType> {
    return {
      items: DEVICE_PROVIDERS.slice(args.offset, args.offset + args.limit).map(toProvider),
      pagination: { limit: args.limit, offset: args.offset, total: DEVICE_PROVIDERS.length },
    };
  }

  requireProvider(slug: string): DeviceProvider {
    const p = findProvider(slug);
    if (!p) throw notFound("Provider");
    return p;
  }

  async list(userId: string, args: PageArgs): Promise<Page<DeviceType>> {
    const user = await this.ctx.services.users.requireMember(userId);
    const [rows, total] = await this.ctx.em.findAndCount(
      DeviceConnection,
      { user: user.id },
      { orderBy: { createdAt: "asc", id: "asc" }, limit: args.limit, offset: args.offset },
    );
    return { items: rows.map((c) => toDevice(c, findProvider(c.providerSlug))), pagination: { limit: args.limit, offset: args.offset, total } };
  }

  async status(userId: string, providerSlug: string): Promise<DeviceStatusType> {
    const user = await this.ctx.services.users.requireMember(userId);
    const provider = this.requireProvider(providerSlug);
    const [connection, lastData] = await Promise.all([
      this.ctx.em.findOne(DeviceConnection, { user: user.id, providerSlug }),
      lastDataByResource(this.ctx.em, user.id, providerSlug),
    ]);
    return toStatus(provider, connection, lastData, this.ctx.deps.now(), FRESH_WITHIN_MS);
  }

  /** `User.devices`: the member's links, oldest first, batched across members per request. Callers pass only users already authorised. */
  async forUser(user: User): Promise<DeviceType[]> {
    const rows = await this.loaders.connectionsByUser.load(user.id);
    return rows.map((c) => toDevice(c, findProvider(c.providerSlug)));
  }

  /** The health profile's `connected_devices` block (batched per request). */
  async connectedDevices(user: User): Promise<{ providerSlug: string; status: DeviceConnectionStatus }[]> {
    const rows = await this.loaders.connectionsByUser.load(user.id);
    return rows.map((c) => ({ providerSlug: c.providerSlug, status: c.status }));
  }

  async registerNative(userId: string, input: RegisterNativeDeviceInput): Promise<NativeDeviceRegistrationType> {
    const user = await this.ctx.services.users.requireMember(userId);
    const providerSlug = NATIVE_PLATFORM_PROVIDERS[input.platform];
    const conn = await this.link(user, providerSlug, null);
    return { providerSlug, healthDataUserId: conn.healthDataUserId, backfillStatus: conn.backfillStatus ?? BackfillStatus.pending };
  }

  /**
   * Links (or re-links) a provider: marks it connected, stores OAuth tokens as SecretBox ciphertext,
   * and starts a fresh backfill, all in one transaction with the job. A backfill already pending
   * or in progress is not started twice.
   */
  async link(user: User, providerSlug: string, tokens: TokenSet | null): Promise<DeviceConnection> {
    const now = this.ctx.deps.now();
    const box = this.ctx.deps.secretBox;
    const conn = await this.withLockedConnection(user, providerSlug, async (em, existing) => {
      const c = existing ?? em.create(DeviceConnection, { user: em.getReference(User, user.id), providerSlug, status: DeviceConnectionStatus.pending, createdAt: now });
      c.status = DeviceConnectionStatus.connected;
      c.connectedAt = now;
      c.error = null;
      if (tokens) {
        c.accessTokenEnc = box.encrypt(tokens.accessToken);
        c.refreshTokenEnc = tokens.refreshToken ? box.encrypt(tokens.refreshToken) : null;
        c.tokenExpiresAt = tokens.expiresAt;
        c.scopes = tokens.scopes;
      }
      const startBackfill = !IN_FLIGHT.has(existing?.backfillStatus);
      if (startBackfill) {
        c.backfillStatus = BackfillStatus.pending;
        c.backfillStartedAt = c.backfillCompletedAt = c.backfillError = null;
      }
      await em.flush();
      if (startBackfill) await this.ctx.services.jobs.start(user, DEVICE_JOB_TYPES.backfill, { provider_slug: providerSlug }, em);
      return c;
    });
    this.loaders.connectionsByUser.clear(user.id);
    return conn;
  }

  /** Force-sync the member's cloud providers: a `devices.refresh` job (202). */
  async refresh(userId: string) {
    const user = await this.ctx.services.users.requireMember(userId);
    return this.ctx.services.jobs.start(user, DEVICE_JOB_TYPES.refresh);
  }

  /**
   * Disconnects one provider: revokes its tokens at the provider when it has a revocation endpoint
   * (best effort: the outcome is logged, a failure does not keep the link), then deletes the link,
   * unfinished link attempts and that provider's data rows in one transaction. Other providers'
   * data is untouched.
   */
  async disconnect(userId: string, providerSlug: string): Promise<boolean> {
    const user = await this.ctx.services.users.requireMember(userId);
    this.requireProvider(providerSlug);
    const conn = await this.ctx.em.findOne(DeviceConnection, { user: user.id, providerSlug }, { populate: ["accessTokenEnc", "refreshTokenEnc"] });
    if (!conn) throw notFound("Device");
    const revocation = await this.revoke(conn);
    const purged = await this.ctx.em.transactional(async (em) => {
      const rows = await purgeProviderData(em, user.id, providerSlug);
      await em.nativeDelete(DeviceConnection, { id: conn.id });
      await em.nativeDelete(OAuthLinkState, { user: user.id, providerSlug, usedAt: null });
      await em.nativeDelete(DeviceLinkToken, { user: user.id, providerSlug, usedAt: null });
      return rows;
    });
    this.ctx.deps.logger.info({ request_id: this.ctx.requestId, provider_slug: providerSlug, revocation, purged }, "device disconnected");
    this.loaders.connectionsByUser.clear(user.id);
    return true;
  }

  private async revoke(conn: DeviceConnection): Promise<"revoked" | "failed" | "not_supported" | "no_token"> {
    const token = conn.refreshTokenEnc ?? conn.accessTokenEnc;
    if (!token) return "no_token";
    const config = oauthConfigFor(this.ctx.deps.config.oauth.providers, conn.providerSlug);
    if (!isConfigured(config) || !config.revocationUrl) return "not_supported";
    let plain: string;
    try {
      plain = this.ctx.deps.secretBox.decrypt(token);
    } catch {
      return "failed";
    }
    return revokeToken(config, plain, conn.refreshTokenEnc ? "refresh_token" : "access_token");
  }

  /** Runs `fn` with the member's link row locked (or null). Two concurrent first links: the loser retries and sees the winner's row. */
  private async withLockedConnection<T>(user: User, providerSlug: string, fn: (em: EntityManager, existing: DeviceConnection | null) => Promise<T>): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.ctx.em.transactional(async (em) => {
          const existing = await em.findOne(DeviceConnection, { user: user.id, providerSlug }, { lockMode: LockMode.PESSIMISTIC_WRITE });
          return fn(em, existing);
        });
      } catch (e) {
        if (e instanceof UniqueConstraintViolationException && attempt === 0) continue;
        throw e;
      }
    }
  }
}
