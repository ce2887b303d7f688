export type { ConnectHubOptions, HubStatus } from './connect-hub';
export { closeClient, connectHub, randomClientId } from './connect-hub';
export type { HubClientErrorCode } from './errors';
export { HUB_CLIENT_ERROR_CODES, HubClientError, isHubClientError } from './errors';
export { HUB_SCHEMES, parseHubUrl, redactUrl } from './hub-url';
export { certificateSha256, fetchPinnedCertificate } from './pinned-certificate';
