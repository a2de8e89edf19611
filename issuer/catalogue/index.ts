/** The city's configurable service catalogue. Re-exports only. */
export { createCatalogueRepository, type CatalogueRepository } from './catalogue-repository.js';
export { DEFAULT_CATALOGUE } from './default-catalogue.js';
export { checkServiceDefinition, LOCALES, REQUIRED_DOCUMENT_KINDS, type LocalizedText, type RequiredDocumentKind, type ServiceDefinition } from './service-definition.js';
