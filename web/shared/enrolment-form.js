/**
 * The enrolment form shared by the citizen portal (`/front-office/enrolments`)
 * and the back office's counter enrolment (`/back-office/enrolments`): the
 * service rows (one checkbox and tier per catalogue service), the request
 * body (issuer/http/request-schemas.ts `Enrolment`), and the first invalid
 * field. Element ids carry a page prefix (`''` in the portal, `'ce-'` at the
 * counter) so both forms can live on pages that use the same names.
 */
import { h } from './api.js';

/** The consent purposes the form asks about, in order. */
export const CONSENT_PURPOSES = ['service_provision', 'notifications', 'statistics'];

/**
 * Redraws the service rows in `list`, keeping what was ticked and the tiers chosen.
 * @param {{ list: HTMLElement, catalogue: { id: string, tiers: string[] }[], prefix: string, name: (service: object) => string, t: (key: string, values?: object) => string, tierLabelKey: string }} options
 */
export function renderServiceRows({ list, catalogue, prefix, name, t, tierLabelKey }) {
  const tierOf = (id) => document.getElementById(`${prefix}tier-${id}`)?.value;
  const chosen = new Map([...list.querySelectorAll('input[type=checkbox]')].filter((c) => c.checked).map((c) => [c.value, tierOf(c.value)]));
  if (catalogue.length === 0) {
    list.replaceChildren(h('p', { text: t('noServices') }));
    return;
  }
  list.replaceChildren(
    ...catalogue.map((service) => {
      const id = `${prefix}service-${service.id}`;
      const box = h('input', { type: 'checkbox', id, name: 'service', value: service.id });
      box.checked = chosen.has(service.id);
      const tiers = h('select', { id: `${prefix}tier-${service.id}`, 'aria-label': t(tierLabelKey, { service: name(service) }) }, ...service.tiers.map((tier) => h('option', { value: tier, text: t(`tier_${tier}`) })));
      if (chosen.get(service.id)) tiers.value = chosen.get(service.id);
      return h('div', { class: 'service-row' }, h('div', { class: 'check' }, box, h('label', { for: id, text: name(service) })), service.tiers.length > 1 ? tiers : h('span', { class: 'hint', text: t(`tier_${service.tiers[0]}`) }));
    }),
  );
}

/**
 * The enrolment body from the form's fields (`name` attributes), the ticked services and the consents.
 * @param {{ form: HTMLFormElement, catalogue: { id: string, tiers: string[] }[], prefix: string }} options
 */
export function enrolmentBody({ form, catalogue, prefix }) {
  const value = (name) => form.elements.namedItem(name).value.trim();
  const body = {
    given_name: value('given_name'),
    family_name: value('family_name'),
    birthdate: value('birthdate'),
    address: { street_address: value('street_address'), postal_code: value('postal_code'), locality: value('locality'), country: value('country').toUpperCase() },
    resident_since: value('resident_since'),
    services: [...form.querySelectorAll('input[name=service]:checked')].map((box) => {
      const service = catalogue.find((s) => s.id === box.value);
      return { service_id: box.value, tier: document.getElementById(`${prefix}tier-${box.value}`)?.value ?? service.tiers[0] };
    }),
    consents: Object.fromEntries(CONSENT_PURPOSES.map((p) => [p, document.getElementById(`${prefix}consent-${p}`).checked])),
  };
  if (value('email') !== '') body.email = value('email');
  if (value('phone') !== '') body.phone = value('phone');
  return body;
}

/**
 * The first field the browser finds invalid, with its label's text, or `undefined`.
 * @param {HTMLFormElement} form
 */
export function firstInvalidField(form) {
  const field = [...form.elements].find((el) => typeof el.checkValidity === 'function' && !el.checkValidity());
  if (field === undefined) return undefined;
  return { field, label: form.querySelector(`label[for="${field.id}"]`)?.textContent ?? field.name };
}
