import { REQUEST_SCHEMAS, type RequestSchemaName } from '../request-schemas.js';

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';

/** One operation of the issuer's HTTP API. */
export interface IssuerOperation {
  method: Method;
  /** Express path (`:param`). */
  path: string;
  tag: 'OID4VCI' | 'Public' | 'Front office' | 'Back office';
  summary: string;
  /** Request body: a schema of `REQUEST_SCHEMAS`, or a media type without a JSON schema. */
  body?: { schema: RequestSchemaName; mediaType?: 'application/json' | 'application/x-www-form-urlencoded' } | { mediaType: 'multipart/form-data' | 'text/csv' | 'application/jwt' };
  auth?: 'citizen' | 'staff' | 'access-token';
  /** Success status and media type. */
  success: { status: number; mediaType?: string };
}

/** Every operation, in the order they are documented. A test checks this list against the Express routes, both ways. */
export const ISSUER_OPERATIONS: readonly IssuerOperation[] = [
  { method: 'get', path: '/.well-known/openid-credential-issuer', tag: 'OID4VCI', summary: 'Credential issuer metadata', success: { status: 200 } },
  { method: 'get', path: '/.well-known/oauth-authorization-server', tag: 'OID4VCI', summary: 'Authorization server metadata', success: { status: 200 } },
  { method: 'get', path: '/oid4vci/offers/:id', tag: 'OID4VCI', summary: 'A credential offer by reference', success: { status: 200 } },
  { method: 'post', path: '/oid4vci/token', tag: 'OID4VCI', summary: 'Token endpoint: pre-authorized code with tx_code, or refresh_token (RFC 6749 §6, rotated: each answer carries a new refresh_token; a replayed one revokes its grant). Both answer { access_token, token_type, expires_in, refresh_token }', body: { schema: 'TokenRequest', mediaType: 'application/x-www-form-urlencoded' }, success: { status: 200 } },
  { method: 'post', path: '/oid4vci/nonce', tag: 'OID4VCI', summary: 'A fresh c_nonce', success: { status: 200 } },
  { method: 'post', path: '/oid4vci/credential', tag: 'OID4VCI', summary: 'A batch of one-time copies (one per key proof), or 202 while the application awaits validation', auth: 'access-token', body: { schema: 'CredentialRequest' }, success: { status: 200 } },
  { method: 'post', path: '/oid4vci/deferred_credential', tag: 'OID4VCI', summary: 'Deferred issuance', auth: 'access-token', body: { schema: 'DeferredCredentialRequest' }, success: { status: 200 } },
  { method: 'get', path: '/.well-known/did.json', tag: 'Public', summary: "The issuer's did:web document", success: { status: 200, mediaType: 'application/did+json' } },
  { method: 'get', path: '/status/:listId', tag: 'Public', summary: 'A status list as statuslist+jwt or W3C Bitstring Status List vc+jwt (by Accept)', success: { status: 200, mediaType: 'application/statuslist+jwt' } },
  { method: 'get', path: '/health', tag: 'Public', summary: 'Liveness and outbox counts', success: { status: 200 } },
  { method: 'get', path: '/openapi.json', tag: 'Public', summary: 'This document', success: { status: 200 } },
  { method: 'get', path: '/front-office/services', tag: 'Front office', summary: "The city's service catalogue", success: { status: 200 } },
  { method: 'post', path: '/front-office/enrolments', tag: 'Front office', summary: 'Enrol: identity, address, services, consents', body: { schema: 'Enrolment' }, success: { status: 201 } },
  { method: 'post', path: '/front-office/login/code', tag: 'Front office', summary: 'Send a one-time sign-in code', body: { schema: 'OtpStart' }, success: { status: 202 } },
  { method: 'post', path: '/front-office/login/code/verify', tag: 'Front office', summary: 'Sign in with the one-time code', body: { schema: 'OtpVerify' }, success: { status: 200 } },
  { method: 'post', path: '/front-office/login/card', tag: 'Front office', summary: 'Sign in with card number and PIN', body: { schema: 'CardLogin' }, success: { status: 200 } },
  { method: 'post', path: '/front-office/logout', tag: 'Front office', summary: 'Sign out', auth: 'citizen', success: { status: 204 } },
  { method: 'get', path: '/front-office/me', tag: 'Front office', summary: 'My record and application status', auth: 'citizen', success: { status: 200 } },
  { method: 'post', path: '/front-office/me/documents', tag: 'Front office', summary: 'Upload a supporting document', auth: 'citizen', body: { mediaType: 'multipart/form-data' }, success: { status: 201 } },
  { method: 'put', path: '/front-office/me/services', tag: 'Front office', summary: 'Change my service choice', auth: 'citizen', body: { schema: 'ServicesChange' }, success: { status: 200 } },
  { method: 'post', path: '/front-office/me/offers', tag: 'Front office', summary: 'A credential offer (QR); the tx_code is sent to me. Optional body: formats', auth: 'citizen', body: { schema: 'OfferRequest' }, success: { status: 201 } },
  { method: 'put', path: '/front-office/me/pin', tag: 'Front office', summary: 'Set my card PIN', auth: 'citizen', body: { schema: 'Pin' }, success: { status: 204 } },
  { method: 'post', path: '/front-office/me/paper-card', tag: 'Front office', summary: 'Print my paper card at home (one bearer pass per chosen service; the earlier card stops working). Optional body: language', auth: 'citizen', body: { schema: 'PaperCardRequest' }, success: { status: 200, mediaType: 'application/pdf' } },
  { method: 'post', path: '/front-office/me/paper-card/revoke', tag: 'Front office', summary: 'I lost my paper card: revoke its passes', auth: 'citizen', success: { status: 200 } },
  { method: 'get', path: '/front-office/me/export', tag: 'Front office', summary: 'Right of access: everything held about me', auth: 'citizen', success: { status: 200 } },
  { method: 'get', path: '/front-office/me/portable', tag: 'Front office', summary: 'Right to portability: what I provided', auth: 'citizen', success: { status: 200 } },
  { method: 'patch', path: '/front-office/me', tag: 'Front office', summary: 'Right to rectification', auth: 'citizen', body: { schema: 'Rectification' }, success: { status: 200 } },
  { method: 'delete', path: '/front-office/me', tag: 'Front office', summary: 'Right to erasure', auth: 'citizen', body: { schema: 'Erasure' }, success: { status: 200 } },
  { method: 'put', path: '/front-office/me/restriction', tag: 'Front office', summary: 'Right to restriction', auth: 'citizen', body: { schema: 'Restriction' }, success: { status: 200 } },
  { method: 'put', path: '/front-office/me/objections', tag: 'Front office', summary: 'Right to object', auth: 'citizen', body: { schema: 'Objections' }, success: { status: 200 } },
  { method: 'put', path: '/front-office/me/consents', tag: 'Front office', summary: 'Give or withdraw consents', auth: 'citizen', body: { schema: 'Consents' }, success: { status: 200 } },
  { method: 'post', path: '/back-office/login', tag: 'Back office', summary: 'Staff sign-in', body: { schema: 'StaffLogin' }, success: { status: 200 } },
  { method: 'post', path: '/back-office/logout', tag: 'Back office', summary: 'Staff sign-out', auth: 'staff', success: { status: 204 } },
  { method: 'get', path: '/back-office/applications', tag: 'Back office', summary: 'Queue of applications awaiting a decision', auth: 'staff', success: { status: 200 } },
  { method: 'post', path: '/back-office/enrolments', tag: 'Back office', summary: 'Enrol a citizen at the counter', auth: 'staff', body: { schema: 'Enrolment' }, success: { status: 201 } },
  { method: 'get', path: '/back-office/cards/:cardNumber', tag: 'Back office', summary: "The application reference of a card's holder (at the counter)", auth: 'staff', success: { status: 200 } },
  { method: 'get', path: '/back-office/applications/:reference', tag: 'Back office', summary: 'An application file by reference', auth: 'staff', success: { status: 200 } },
  { method: 'post', path: '/back-office/applications/:reference/documents', tag: 'Back office', summary: 'Scan a supporting document at the counter', auth: 'staff', body: { mediaType: 'multipart/form-data' }, success: { status: 201 } },
  { method: 'get', path: '/back-office/applications/:reference/documents/:documentId', tag: 'Back office', summary: 'A supporting document (decrypted)', auth: 'staff', success: { status: 200, mediaType: 'application/octet-stream' } },
  { method: 'post', path: '/back-office/applications/:reference/decision', tag: 'Back office', summary: 'Validate or reject', auth: 'staff', body: { schema: 'Decision' }, success: { status: 200 } },
  { method: 'post', path: '/back-office/applications/:reference/offers', tag: 'Back office', summary: 'A credential offer at the counter (with its tx_code). Optional body: formats', auth: 'staff', body: { schema: 'OfferRequest' }, success: { status: 201 } },
  { method: 'put', path: '/back-office/applications/:reference/pin', tag: 'Back office', summary: "Set a citizen's card PIN at the counter", auth: 'staff', body: { schema: 'Pin' }, success: { status: 204 } },
  { method: 'post', path: '/back-office/applications/:reference/paper-card', tag: 'Back office', summary: "Print or reprint a citizen's paper card at the counter (the earlier card stops working). Optional body: language", auth: 'staff', body: { schema: 'PaperCardRequest' }, success: { status: 200, mediaType: 'application/pdf' } },
  { method: 'post', path: '/back-office/applications/:reference/paper-card/revoke', tag: 'Back office', summary: "Revoke a citizen's lost paper card", auth: 'staff', success: { status: 200 } },
  { method: 'post', path: '/back-office/credentials/:batchId/status', tag: 'Back office', summary: 'Revoke, suspend or unsuspend a batch', auth: 'staff', body: { schema: 'StatusChange' }, success: { status: 200 } },
  { method: 'get', path: '/back-office/catalogue', tag: 'Back office', summary: 'The service catalogue', auth: 'staff', success: { status: 200 } },
  { method: 'put', path: '/back-office/catalogue/:serviceId', tag: 'Back office', summary: 'Add or change a service (admin)', auth: 'staff', body: { schema: 'ServiceDefinition' }, success: { status: 200 } },
  { method: 'get', path: '/back-office/keys', tag: 'Back office', summary: 'Published signing keys (admin)', auth: 'staff', success: { status: 200 } },
  { method: 'post', path: '/back-office/keys/rotate', tag: 'Back office', summary: 'Rotate the signing key (admin)', auth: 'staff', success: { status: 200 } },
  { method: 'get', path: '/back-office/staff', tag: 'Back office', summary: 'Staff accounts (admin)', auth: 'staff', success: { status: 200 } },
  { method: 'post', path: '/back-office/staff', tag: 'Back office', summary: 'Create a staff account (admin)', auth: 'staff', body: { schema: 'StaffCreate' }, success: { status: 201 } },
  { method: 'post', path: '/back-office/staff/:id/disable', tag: 'Back office', summary: 'Disable a staff account (admin)', auth: 'staff', success: { status: 204 } },
  { method: 'get', path: '/back-office/webhooks', tag: 'Back office', summary: 'Webhook subscriptions and deliveries (admin)', auth: 'staff', success: { status: 200 } },
  { method: 'post', path: '/back-office/webhooks', tag: 'Back office', summary: "Subscribe a department's endpoint (admin)", auth: 'staff', body: { schema: 'WebhookCreate' }, success: { status: 201 } },
  { method: 'delete', path: '/back-office/webhooks/:id', tag: 'Back office', summary: 'Unsubscribe (admin)', auth: 'staff', success: { status: 200 } },
  { method: 'post', path: '/back-office/imports', tag: 'Back office', summary: 'Bulk import of card holders from CSV (admin; ?dryRun=true)', auth: 'staff', body: { mediaType: 'text/csv' }, success: { status: 200 } },
  { method: 'get', path: '/back-office/audit', tag: 'Back office', summary: 'The audit log (admin)', auth: 'staff', success: { status: 200 } },
  { method: 'get', path: '/back-office/stats', tag: 'Back office', summary: 'Counts of applications and credentials (admin)', auth: 'staff', success: { status: 200 } },
  { method: 'get', path: '/back-office/statistics', tag: 'Back office', summary: 'Issuance (batches, copies, revoked, suspended per UTC day and credential type) and verification counts (per UTC day, service and outcome, from terminal reports) over ?days=N (default 30, 1 to 366): admins see the city, service managers their service', auth: 'staff', success: { status: 200 } },
  { method: 'post', path: '/terminal-reports', tag: 'Public', summary: "A terminal's signed count report (application/jwt, typ urbis-counts+jwt, ES256 with a key of URBIS_TERMINAL_KEYS, aud = issuer URL, iat within 5 minutes): cumulative counts per UTC day, service and outcome; a re-sent or older report never double counts or lowers them", body: { mediaType: 'application/jwt' }, success: { status: 200 } },
];

const toOpenApiPath = (path: string): string => path.replace(/:([A-Za-z]+)/g, '{$1}');

/**
 * The issuer's OpenAPI 3.1 document: both APIs (front office, back office),
 * OID4VCI and the public documents. Request bodies reference the JSON
 * Schemas the routes validate with; every error is an RFC 9457 problem.
 */
export function buildIssuerOpenApi({ serverUrl }: { serverUrl: string }): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of ISSUER_OPERATIONS) {
    const parameters = [...op.path.matchAll(/:([A-Za-z]+)/g)].map((m) => ({ name: m[1], in: 'path', required: true, schema: { type: 'string' } }));
    const operation: Record<string, unknown> = {
      tags: [op.tag],
      summary: op.summary,
      operationId: `${op.method}${toOpenApiPath(op.path).replace(/[^A-Za-z0-9]+(.)?/g, (_m, c: string | undefined) => (c ?? '').toUpperCase())}`,
      ...(parameters.length > 0 ? { parameters } : {}),
      responses: {
        [String(op.success.status)]: { description: 'Success', ...(op.success.status === 204 ? {} : { content: { [op.success.mediaType ?? 'application/json']: {} } }) },
        default: { description: 'An RFC 9457 problem; `type` is stable per Urbis error code', content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } },
      },
    };
    if (op.auth !== undefined) operation['security'] = [{ [op.auth === 'access-token' ? 'accessToken' : op.auth === 'citizen' ? 'citizenSession' : 'staffSession']: [] }];
    if (op.body !== undefined) {
      const mediaType = op.body.mediaType ?? 'application/json';
      const schema = 'schema' in op.body ? { $ref: `#/components/schemas/${op.body.schema}` } : op.body.mediaType === 'multipart/form-data' ? { type: 'object', properties: { kind: { type: 'string' }, file: { type: 'string', contentMediaType: 'application/octet-stream' } }, required: ['kind', 'file'] } : { type: 'string' };
      operation['requestBody'] = { required: !('schema' in op.body && op.body.schema === 'OfferRequest'), content: { [mediaType]: { schema } } };
    }
    (paths[toOpenApiPath(op.path)] ??= {})[op.method] = operation;
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Urbis city issuer', version: '1.0.0', description: 'Front office (citizens), back office (staff), OpenID for Verifiable Credential Issuance 1.0, status lists and DID document of a city issuer.' },
    servers: [{ url: serverUrl }],
    paths,
    components: {
      schemas: {
        ...REQUEST_SCHEMAS,
        Problem: {
          type: 'object',
          properties: { type: { type: 'string', format: 'uri' }, title: { type: 'string' }, status: { type: 'integer' }, code: { type: 'string' }, detail: { type: 'string' }, error: { type: 'string' }, error_description: { type: 'string' } },
          required: ['type', 'title', 'status', 'code'],
        },
      },
      securitySchemes: {
        citizenSession: { type: 'http', scheme: 'bearer', description: 'Citizen session token (e-mail code or card + PIN sign-in)' },
        staffSession: { type: 'http', scheme: 'bearer', description: 'Staff session token' },
        accessToken: { type: 'http', scheme: 'bearer', description: 'OID4VCI access token from the token endpoint' },
      },
    },
  };
}
