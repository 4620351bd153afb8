import { Arg, Args, Ctx, Mutation, Query, Resolver } from "type-graphql";
import { JobStartType } from "../../schema/async-jobs/job.type";
import { makePaginationArgs, type PageArgs } from "../../schema/_shared/pagination";
import { UUIDScalar } from "../../schema/_shared/scalars";
import { CreateDeviceLinkTokenInput, DeviceOAuthCallbackArgs, RegisterNativeDeviceInput } from "../../schema/devices/device.input";
import {
  DeviceLinkTokenType,
  DeviceOAuthResultType,
  DeviceOAuthUrlType,
  DevicePageType,
  DeviceProviderPageType,
  DeviceStatusType,
  NativeDeviceRegistrationType,
} from "../../schema/devices/device.type";
import type { Context } from "../_shared/context";

/** Devices and providers lists: limit 10 by default, at most 200. */
const DevicePaginationArgs = makePaginationArgs(10, 200);

@Resolver()
export class DevicesResolver {
  @Query(() => DeviceProviderPageType, { description: "Every supported provider (static, cacheable). Any credential or none." })
  deviceProviders(@Args(() => DevicePaginationArgs) args: PageArgs, @Ctx() ctx: Context) {
    return ctx.services.devices.providers(args);
  }

  @Query(() => DevicePageType, { description: "The member's provider links, oldest first." })
  devices(@Arg("userId", () => UUIDScalar) userId: string, @Args(() => DevicePaginationArgs) args: PageArgs, @Ctx() ctx: Context) {
    return ctx.services.devices.list(userId, args);
  }

  @Query(() => DeviceStatusType, { description: "One provider's link, backfill and data freshness for the member. Unknown provider: not_found." })
  deviceStatus(@Arg("userId", () => UUIDScalar) userId: string, @Arg("providerSlug") providerSlug: string, @Ctx() ctx: Context) {
    return ctx.services.devices.status(userId, providerSlug);
  }

  @Query(() => DeviceOAuthUrlType, {
    description:
      "The provider's authorization URL for a link token (no other credential needed). Consumes the link token; " +
      "unknown, used, expired or other-provider tokens are not_found.",
  })
  deviceOAuthUrl(@Arg("providerSlug") providerSlug: string, @Arg("linkToken") linkToken: string, @Ctx() ctx: Context) {
    return ctx.services.devices.links.oauthUrl(providerSlug, linkToken);
  }

  @Mutation(() => DeviceLinkTokenType, { description: "A 10-minute, single-use link token for one OAuth provider and this member." })
  createDeviceLinkToken(
    @Arg("userId", () => UUIDScalar) userId: string,
    @Arg("input", () => CreateDeviceLinkTokenInput) input: CreateDeviceLinkTokenInput,
    @Ctx() ctx: Context,
  ) {
    return ctx.services.devices.links.createLinkToken(userId, input);
  }

  @Mutation(() => DeviceOAuthResultType, {
    description: "The provider's redirect after consent: exchanges the code (PKCE) and links the provider. The `state` is the credential.",
  })
  completeDeviceOAuth(@Args(() => DeviceOAuthCallbackArgs) args: DeviceOAuthCallbackArgs, @Ctx() ctx: Context) {
    return ctx.services.devices.links.complete(args);
  }

  @Mutation(() => NativeDeviceRegistrationType, { description: "Link a native platform after the app obtained OS health permissions; starts the backfill." })
  registerNativeDevice(
    @Arg("userId", () => UUIDScalar) userId: string,
    @Arg("input", () => RegisterNativeDeviceInput) input: RegisterNativeDeviceInput,
    @Ctx() ctx: Context,
  ) {
    return ctx.services.devices.registerNative(userId, input);
  }

  @Mutation(() => JobStartType, { description: "Force-sync the member's cloud providers (async job)." })
  refreshDevices(@Arg("userId", () => UUIDScalar) userId: string, @Ctx() ctx: Context) {
    return ctx.services.devices.refresh(userId);
  }

  @Mutation(() => Boolean, { description: "Disconnect a provider: revokes its tokens and purges the member's data from that provider. Irreversible." })
  disconnectDevice(@Arg("userId", () => UUIDScalar) userId: string, @Arg("providerSlug") providerSlug: string, @Ctx() ctx: Context) {
    return ctx.services.devices.disconnect(userId, providerSlug);
  }
}
