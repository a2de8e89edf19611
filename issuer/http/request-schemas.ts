import Ajv2020 from 'ajv/dist/2020.js';
import type { ValidateFunction } from 'ajv/dist/2020.js';
import type { RequestHandler } from 'express';
import { SERVICE_TIERS } from '../../core/credentials/credential-types.js';
import { UrbisError } from '../../core/errors/urbis-error.js';
import { STATUS_CHANGE_REASONS } from '../../registry/publisher/status-change.js';
import { REJECTION_REASONS } from '../back-office/back-office-service.js';
import { LOCALES, REQUIRED_DOCUMENT_KINDS } from '../catalogue/service-definition.js';
import { CONSENT_PURPOSES } from '../enrolment/enrolment-input.js';
import { OBJECTABLE_PURPOSES } from '../gdpr/gdpr-service.js';
import { MAX_PRE_AUTHORIZED_CODE_LENGTH, MAX_REFRESH_TOKEN_LENGTH, MAX_TX_CODE_LENGTH, REFRESH_TOKEN_GRANT_TYPE, SUPPORTED_GRANT_TYPES } from '../oid4vci/token-request.js';
import { PRE_AUTHORIZED_CODE_GRANT_TYPE } from '../../core/oid4vci/credential-offer.js';

type Schema = Record<string, unknown>;

const text = (maxLength: number, extra: Schema = {}): Schema => ({ type: 'string', minLength: 1, maxLength, ...extra });
const date: Schema = { type: 'string', pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' };
const slug: Schema = { type: 'string', pattern: '^[a-z0-9][a-z0-9-]{0,62}$' };

const address: Schema = {
  type: 'object',
  properties: { street_address: text(200), postal_code: text(10), locality: text(100), country: { type: 'string', pattern: '^[A-Z]{2}$' } },
  required: ['street_address', 'postal_code', 'locality', 'country'],
  additionalProperties: false,
};

const serviceChoice: Schema = {
  type: 'object',
  properties: { service_id: slug, tier: { enum: [...SERVICE_TIERS] } },
  required: ['service_id', 'tier'],
  additionalProperties: false,
};

const consents: Schema = {
  type: 'object',
  properties: Object.fromEntries(CONSENT_PURPOSES.map((p) => [p, { type: 'boolean' }])),
  additionalProperties: false,
};

const identityProperties: Record<string, Schema> = {
  given_name: text(100),
  family_name: text(100),
  birthdate: date,
  email: text(254),
  phone: text(20),
  address,
  resident_since: date,
};

/**
 * JSON Schemas (2020-12) of every request body the issuer accepts. The HTTP
 * layer validates each body against its schema before the domain services
 * run their own checks, and the OpenAPI document publishes the same objects.
 */
export const REQUEST_SCHEMAS = {
  Enrolment: {
    type: 'object',
    properties: { ...identityProperties, services: { type: 'array', items: serviceChoice, maxItems: 32 }, consents },
    required: ['given_name', 'family_name', 'birthdate', 'address', 'resident_since', 'services', 'consents'],
    additionalProperties: false,
  },
  OfferRequest: {
    type: 'object',
    properties: { formats: { type: 'array', items: { enum: ['dc+sd-jwt', 'vc+sd-jwt', 'jwt_vc_json'] }, minItems: 1, uniqueItems: true } },
    additionalProperties: false,
  },
  PaperCardRequest: { type: 'object', properties: { language: { enum: ['es', 'en', 'fr'] } }, additionalProperties: false },
  OtpStart: { type: 'object', properties: { email: text(254) }, required: ['email'], additionalProperties: false },
  OtpVerify: { type: 'object', properties: { challengeId: text(200), code: { type: 'string', pattern: '^[0-9]{4,10}$' } }, required: ['challengeId', 'code'], additionalProperties: false },
  CardLogin: { type: 'object', properties: { cardNumber: { type: 'string', pattern: '^[0-9]{10}$' }, pin: { type: 'string', pattern: '^[0-9]{4,8}$' } }, required: ['cardNumber', 'pin'], additionalProperties: false },
  ServicesChange: { type: 'object', properties: { services: { type: 'array', items: serviceChoice, maxItems: 32 } }, required: ['services'], additionalProperties: false },
  Pin: { type: 'object', properties: { pin: { type: 'string', pattern: '^[0-9]{4,8}$' } }, required: ['pin'], additionalProperties: false },
  Rectification: { type: 'object', properties: identityProperties, minProperties: 1, additionalProperties: false },
  Erasure: { type: 'object', properties: { confirm: { const: 'erase' } }, required: ['confirm'], additionalProperties: false },
  Restriction: { type: 'object', properties: { restricted: { type: 'boolean' } }, required: ['restricted'], additionalProperties: false },
  Objections: { type: 'object', properties: { purposes: { type: 'array', items: { enum: [...OBJECTABLE_PURPOSES] }, uniqueItems: true } }, required: ['purposes'], additionalProperties: false },
  Consents: { type: 'object', properties: { consents }, required: ['consents'], additionalProperties: false },
  StaffLogin: { type: 'object', properties: { username: text(64), password: text(1024) }, required: ['username', 'password'], additionalProperties: false },
  Decision: {
    type: 'object',
    properties: { decision: { enum: ['validate', 'reject'] }, reason: { enum: [...REJECTION_REASONS] } },
    required: ['decision'],
    additionalProperties: false,
  },
  StatusChange: {
    type: 'object',
    properties: { action: { enum: ['revoke', 'suspend', 'unsuspend'] }, reason: { enum: [...STATUS_CHANGE_REASONS] } },
    required: ['action'],
    additionalProperties: false,
  },
  ServiceDefinition: {
    type: 'object',
    properties: {
      id: slug,
      names: { type: 'object', properties: Object.fromEntries(LOCALES.map((l) => [l, text(100)])), required: [...LOCALES], additionalProperties: false },
      tiers: { type: 'array', items: { enum: [...SERVICE_TIERS] }, minItems: 1, uniqueItems: true },
      requiredDocuments: { type: 'array', items: { enum: [...REQUIRED_DOCUMENT_KINDS] }, uniqueItems: true },
      minAge: { type: 'integer', minimum: 0, maximum: 150 },
      maxAge: { type: 'integer', minimum: 0, maximum: 150 },
      active: { type: 'boolean' },
    },
    required: ['id', 'names', 'tiers'],
    additionalProperties: false,
  },
  StaffCreate: {
    type: 'object',
    properties: { username: text(64), password: text(1024), role: { enum: ['clerk', 'service_manager', 'admin'] }, serviceId: slug },
    required: ['username', 'password', 'role'],
    additionalProperties: false,
  },
  WebhookCreate: {
    type: 'object',
    properties: { url: text(2048, { pattern: '^https?://' }), secret: text(256, { minLength: 16 }), serviceIds: { type: 'array', items: { type: 'string', pattern: '^(\\*|[a-z0-9][a-z0-9-]{0,62})$' }, minItems: 1, uniqueItems: true } },
    required: ['url', 'secret', 'serviceIds'],
    additionalProperties: false,
  },
  // Two grants (OID4VCI 1.0 §6.1; RFC 6749 §6), each with its own parameters and none of the other's; unknown
  // parameters are ignored as §6.1 requires. `parseTokenRequest` checks the same again.
  TokenRequest: {
    type: 'object',
    properties: {
      grant_type: { enum: [...SUPPORTED_GRANT_TYPES] },
      'pre-authorized_code': text(MAX_PRE_AUTHORIZED_CODE_LENGTH),
      tx_code: text(MAX_TX_CODE_LENGTH),
      refresh_token: text(MAX_REFRESH_TOKEN_LENGTH),
    },
    required: ['grant_type'],
    allOf: [
      {
        if: { properties: { grant_type: { const: PRE_AUTHORIZED_CODE_GRANT_TYPE } }, required: ['grant_type'] },
        then: { properties: { 'pre-authorized_code': text(MAX_PRE_AUTHORIZED_CODE_LENGTH), refresh_token: false }, required: ['pre-authorized_code'] },
      },
      {
        if: { properties: { grant_type: { const: REFRESH_TOKEN_GRANT_TYPE } }, required: ['grant_type'] },
        then: { properties: { refresh_token: text(MAX_REFRESH_TOKEN_LENGTH), 'pre-authorized_code': false, tx_code: false }, required: ['refresh_token'] },
      },
    ],
  },
  CredentialRequest: {
    type: 'object',
    properties: {
      credential_configuration_id: text(100),
      proofs: { type: 'object', properties: { jwt: { type: 'array', items: text(4096), minItems: 1 } }, required: ['jwt'], additionalProperties: false },
    },
    required: ['credential_configuration_id'],
  },
  DeferredCredentialRequest: { type: 'object', properties: { transaction_id: text(256) }, required: ['transaction_id'] },
} as const satisfies Record<string, Schema>;

/** Name of a request schema. */
export type RequestSchemaName = keyof typeof REQUEST_SCHEMAS;

let ajv: Ajv2020.default | undefined;
const compiled = new Map<RequestSchemaName, ValidateFunction>();

function validator(name: RequestSchemaName): ValidateFunction {
  let validate = compiled.get(name);
  if (validate === undefined) {
    ajv ??= new Ajv2020.default({ strict: true, allErrors: false, messages: false });
    validate = ajv.compile(REQUEST_SCHEMAS[name]);
    compiled.set(name, validate);
  }
  return validate;
}

/**
 * Checks a parsed body against its schema.
 * @throws UrbisError `BODY_INVALID` naming the JSON pointer and the failed keyword — never the value.
 */
export function checkBody(name: RequestSchemaName, body: unknown): void {
  const validate = validator(name);
  if (!validate(body)) {
    const first = validate.errors?.[0];
    const missing = String((first?.params as { missingProperty?: string } | undefined)?.missingProperty);
    const where = first === undefined ? '' : first.keyword === 'required' ? `${first.instancePath}/${missing}` : first.instancePath === '' ? '/' : first.instancePath;
    throw new UrbisError('BODY_INVALID', `the body does not match the ${name} schema at ${where} (${first?.keyword ?? 'invalid'})`);
  }
}

/** Express middleware validating `req.body` against schema `name`. */
export function validateBody(name: RequestSchemaName): RequestHandler {
  validator(name);
  return (req, _res, next) => {
    try {
      checkBody(name, req.body);
      next();
    } catch (error) {
      next(error);
    }
  };
}
