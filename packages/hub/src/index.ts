export type {
  AccessContext,
  AccessDecision,
  AccessRequest,
  AccessRule,
  HubAction,
} from './access-table';
export { decideAccess, RACE_ACCESS_RULES } from './access-table';
export type { AccountGrants, HubAccount, PublishGrant } from './account-grants';
export { accountGrants, SPECTATOR_USERNAME } from './account-grants';
export type { AddressCounter } from './address-counter';
export { createAddressCounter } from './address-counter';
export type { AwsIotTarget } from './aws-iot-config';
export { awsIotAuthorizer, awsIotPolicy } from './aws-iot-config';
export { emqxAclFile, emqxJwtClaims, emqxUsersCsv } from './emqx-config';
export type { HubErrorCode } from './errors';
export { HUB_ERROR_CODES, HubError, isHubError } from './errors';
export type { ExternalHub, ExternalHubOptions, HubConfigFile } from './external-hub-config';
export { EXTERNAL_HUBS, externalHubFiles } from './external-hub-config';
export type { ConnectRequest, ConnectVerdict, HubAccess, HubConnection } from './hub-access';
export { createOpenAccess } from './hub-access';
export type { HubLimitEvent, HubStats } from './hub-stats';
export type { HubLimits, RateLimit, RateLimiter } from './limits';
export { createRateLimiter, DEFAULT_HUB_LIMITS, payloadRefusal } from './limits';
export {
  MOSQUITTO_PBKDF2_ITERATIONS,
  mosquittoAclFile,
  mosquittoConfSnippet,
  mosquittoPasswordFile,
  mosquittoPasswordLine,
} from './mosquitto-config';
export { isOriginAllowed } from './origin';
export type { PacketSizeGuard } from './packet-size-guard';
export { createPacketSizeGuard } from './packet-size-guard';
export type { Principal, PrincipalKind } from './principal';
export { describePrincipal, PRINCIPAL_KINDS, playerOf, samePrincipal } from './principal';
export type { CredentialCheck, RaceAccessOptions } from './race-access';
export { createRaceAccess, HOST_USERNAME, secretEquals } from './race-access';
export type { Hub, HubOptions } from './start-hub';
export { clientAddressOf, probeListen, startHub } from './start-hub';
export { filterCovers } from './topic-match';
export { MQTT_WS_PATH } from './websocket';
