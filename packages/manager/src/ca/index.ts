export { bytesToBase36, base36Length } from './base36.js';
export { constantTimeEqual } from './constant-time.js';
export {
  DIGEST_LENGTH,
  JOIN_TOKEN_PREFIX,
  JOIN_TOKEN_VERSION,
  SECRET_BYTES,
  SECRET_LENGTH,
  formatJoinToken,
  isValidDigest,
  newJoinToken,
  parseJoinToken,
  roleForJoinToken,
  tokenMatches,
  type JoinToken,
  type RandomBytes,
} from './join-token.js';
export {
  ROOT_CA_COMMON_NAME,
  assertRole,
  assertValidClusterId,
  assertValidNodeId,
  identityFromSubject,
  nodeSubject,
  roleFromUnit,
  roleToUnit,
  rootSubject,
  type NodeIdentity,
  type SubjectFields,
  type SubjectName,
} from './node-identity.js';
export { renewalDelay, renewalTime } from './renewal.js';
export { assertDigestMatches } from './root-pin.js';
export {
  NODE_CERT_LIFETIME_MS,
  ROOT_CA_LIFETIME_YEARS,
  assertWithinWindow,
  clockSkewAllowance,
  issuanceWindow,
  rootWindow,
  type ValidityWindow,
} from './validity.js';
export { issueNodeCertificate, type IssueNodeCertificateParams } from './io/issue-node-certificate.js';
export { createNodeKeyAndCSR, type NodeKeyAndCSR } from './io/node-csr.js';
export { peerIdentity, type CallWithAuthContext } from './io/peer-identity.js';
export { secureRandomBytes } from './io/random.js';
export { createRootCA, type RootCA } from './io/root-ca.js';
export { certificateDigest, checkRootDigest } from './io/root-digest.js';
export { verifyNodeCertificate, type VerifiedNodeCertificate } from './io/verify-node-certificate.js';
