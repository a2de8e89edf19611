/**
 * The back office's service catalogue (issue #7). Every signed-in staff
 * member reads the city's services (`GET /back-office/catalogue`) as a
 * table: id, name in the page's language, tiers, documents required, age
 * limits, active. Admins also edit a service (names in the three languages,
 * tiers, documents required, optional age limits, active) or add one under a
 * new id (a lowercase slug); each is saved whole with
 * `PUT /back-office/catalogue/:serviceId` (issuer/catalogue/service-definition.ts),
 * then the catalogue is read again and the table redrawn.
 *
 * The rules are the issuer's: the forms carry only the schema's own limits
 * (slug pattern, name lengths, ages 0 to 150), checked before sending. A
 * definition the issuer refuses (`BODY_INVALID` naming the field, such as a
 * maximum age below the minimum, or no tier) is shown in the page's message
 * region with that field named, marked invalid and focused; any other error
 * (a non-admin's `FORBIDDEN`, an expired session) goes through the page's
 * error reporting. Non-admins see no edit control.
 *
 * The forms are built once, their labels marked `data-i18n`: a language
 * switch translates them without losing what was typed.
 *
 * @example
 * ```js
 * const section = createCatalogueSection({ api, i18n, busy, message, canEdit: () => staff?.role === 'admin', onChange: (services) => useCatalogue(services) });
 * await section.load(); // reads the catalogue, draws the table
 * section.show(); // shows it, its heading focused
 * ```
 */
import { announce, h } from '../web-shared/api.js';
import { LANGUAGES } from '../web-shared/i18n.js';

/** The tiers a service can offer (core/credentials/credential-types.ts SERVICE_TIERS). */
export const SERVICE_TIERS = Object.freeze(['standard', 'youth', 'senior', 'reduced', 'disability', 'family']);
/** The documents an application can need (issuer/catalogue/service-definition.ts REQUIRED_DOCUMENT_KINDS). */
export const REQUIRED_DOCUMENT_KINDS = Object.freeze(['proof_of_address', 'identity_document', 'student_card']);
/** A service id, as the issuer's schema has it (`^[a-z0-9][a-z0-9-]{0,62}$`; HTML patterns take the `v` flag, hence `\-`). */
const SLUG_PATTERN = '[a-z0-9][a-z0-9\\-]{0,62}';
/** Where an issuer's `BODY_INVALID` detail names the field: `… schema at /names/es (minLength)` or `service definition: maxAge is invalid`. */
const REFUSED_FIELD = /(?:at \/|definition: |body )(id|names|tiers|requiredDocuments|minAge|maxAge)(?:[./](en|es|fr))?/;

/**
 * The catalogue section's behaviour: the table for everyone, the edit and add forms for admins.
 * @param {{
 *   api: ReturnType<typeof import('../web-shared/api.js').createApi>,
 *   i18n: ReturnType<typeof import('../web-shared/i18n.js').createI18n>,
 *   busy: (button: HTMLElement | undefined, action: () => Promise<void>) => Promise<void>,
 *   message: HTMLElement,
 *   canEdit: () => boolean,
 *   onChange: (services: object[]) => void,
 * }} args - `canEdit`: whether the signed-in member may edit (admins); `onChange`: the catalogue as just read (service names, counter enrolment).
 */
export function createCatalogueSection({ api, i18n, busy, message, canEdit, onChange }) {
  const { t } = i18n;
  const $ = (id) => document.getElementById(id);
  /** The catalogue as last read. */
  let services;
  /** The id of the service in the edit form, if it is open. */
  let editing;

  const editForm = $('catalogue-edit-form');
  const addForm = $('catalogue-add-form');
  editForm.append(...serviceFields({ prefix: 'ce-edit', withId: false }), formActions({ submitKey: 'save', cancelId: 'catalogue-edit-cancel' }));
  addForm.append(...serviceFields({ prefix: 'ce-add', withId: true }), formActions({ submitKey: 'addServiceSubmit', cancelId: 'catalogue-add-cancel' }));

  const nameOf = (service) => service.names?.[i18n.lang] ?? service.names?.en ?? service.id;

  function ages(service) {
    const { minAge, maxAge } = service;
    if (minAge !== undefined && maxAge !== undefined) return t('agesBetween', { min: minAge, max: maxAge });
    if (minAge !== undefined) return t('agesFrom', { min: minAge });
    if (maxAge !== undefined) return t('agesUpTo', { max: maxAge });
    return t('agesAny');
  }

  /** Redraws the table (and the edit form's title) in the page's language; shows edit controls to admins only. */
  function render() {
    if (services === undefined) return;
    const editable = canEdit();
    for (const el of $('catalogue').querySelectorAll('.catalogue-admin')) el.hidden = !editable;
    $('catalogue-read-only').hidden = editable;
    if (!editable) {
      editForm.hidden = true;
      addForm.hidden = true;
      editing = undefined;
    }
    $('catalogue-rows').replaceChildren(
      ...services.map((service) =>
        h(
          'tr',
          { 'data-service': service.id },
          h('td', { text: service.id }),
          h('td', { text: nameOf(service) }),
          h('td', { text: service.tiers.map((tier) => t(`tier_${tier}`)).join(', ') }),
          h('td', { text: service.requiredDocuments.length === 0 ? t('noneRequired') : service.requiredDocuments.map((kind) => t(`doc_${kind}`)).join(', ') }),
          h('td', { text: ages(service) }),
          h('td', { text: t(service.active ? 'yes' : 'no') }),
          editable ? h('td', {}, h('button', { type: 'button', class: 'secondary', id: `catalogue-edit-${service.id}`, 'aria-label': t('editServiceLabel', { service: nameOf(service) }), text: t('edit'), onclick: () => openEdit(service.id) })) : undefined,
        ),
      ),
    );
    const shown = services.find((s) => s.id === editing);
    if (shown !== undefined) $('catalogue-edit-title').textContent = t('editTitle', { service: nameOf(shown), id: shown.id });
  }

  /** Reads the catalogue again, tells the page (`onChange`) and redraws. */
  async function load() {
    services = (await api.get('/back-office/catalogue')).services;
    onChange(services);
    render();
    return services;
  }

  /** Shows the section as last read (`load` first), its heading focused. */
  function show() {
    $('catalogue').hidden = false;
    focusHeading($('catalogue-title'));
    announce(message, t('catalogueShown', { n: services.length }));
  }

  function openEdit(id) {
    const service = services.find((s) => s.id === id);
    if (service === undefined) return;
    editing = id;
    addForm.hidden = true;
    fillFields('ce-edit', service);
    editForm.hidden = false;
    render();
    focusHeading($('catalogue-edit-title'));
  }

  function openAdd() {
    editForm.hidden = true;
    editing = undefined;
    addForm.reset();
    clearInvalid(addForm);
    fillFields('ce-add', { names: { en: '', es: '', fr: '' }, tiers: ['standard'], requiredDocuments: [], active: true });
    addForm.hidden = false;
    $('ce-add-id').focus();
  }

  /** Saves the definition in `form` under `id`; returns false (message shown, field focused) when the form or the issuer refuses it. */
  async function save(form, prefix, id) {
    clearInvalid(form);
    const invalid = [...form.elements].find((el) => typeof el.checkValidity === 'function' && !el.checkValidity());
    if (invalid !== undefined) {
      markInvalid(invalid, t('fixField', { field: labelOf(invalid) }));
      return false;
    }
    try {
      await api.put(`/back-office/catalogue/${encodeURIComponent(id)}`, { json: readFields(prefix, id) });
    } catch (error) {
      const field = error?.code === 'BODY_INVALID' ? refusedField(prefix, error.message) : undefined;
      if (field === undefined) throw error;
      markInvalid(field, t('fieldRefused', { field: labelOf(field) }));
      return false;
    }
    return true;
  }

  async function saveEdit(event) {
    event.preventDefault();
    const id = editing;
    if (id === undefined) return;
    await busy(event.submitter, async () => {
      if (!(await save(editForm, 'ce-edit', id))) return;
      editForm.hidden = true;
      editing = undefined;
      await load();
      const service = services.find((s) => s.id === id);
      $(`catalogue-edit-${id}`)?.focus();
      announce(message, t('serviceSaved', { service: service === undefined ? id : nameOf(service) }));
    });
  }

  async function saveNew(event) {
    event.preventDefault();
    const input = $('ce-add-id');
    const id = input.value.trim();
    input.value = id;
    if (input.checkValidity() && services?.some((s) => s.id === id)) {
      clearInvalid(addForm);
      markInvalid(input, t('serviceIdTaken', { id }));
      return;
    }
    await busy(event.submitter, async () => {
      if (!(await save(addForm, 'ce-add', id))) return;
      addForm.reset();
      addForm.hidden = true;
      await load();
      const service = services.find((s) => s.id === id);
      $(`catalogue-edit-${id}`)?.focus();
      announce(message, t('serviceAdded', { service: service === undefined ? id : nameOf(service) }));
    });
  }

  function markInvalid(el, text) {
    announce(message, text, 'error');
    el.setAttribute('aria-invalid', 'true');
    el.focus();
  }

  /** The form field an issuer's `BODY_INVALID` detail names (the id, a name, the first tier or document box, an age), if any. */
  function refusedField(prefix, detail) {
    const match = REFUSED_FIELD.exec(String(detail ?? ''));
    if (match === null) return undefined;
    const [, field, lang] = match;
    if (field === 'id') return $(`${prefix}-id`) ?? undefined;
    if (field === 'names') return $(`${prefix}-name-${lang ?? 'en'}`);
    if (field === 'tiers') return $(`${prefix}-tier-${SERVICE_TIERS[0]}`);
    if (field === 'requiredDocuments') return $(`${prefix}-doc-${REQUIRED_DOCUMENT_KINDS[0]}`);
    return $(`${prefix}-${field === 'minAge' ? 'min' : 'max'}-age`);
  }

  $('catalogue-add-open').addEventListener('click', openAdd);
  editForm.addEventListener('submit', saveEdit);
  addForm.addEventListener('submit', saveNew);
  for (const form of [editForm, addForm]) form.addEventListener('input', (event) => event.target.removeAttribute?.('aria-invalid'));
  $('catalogue-edit-cancel').addEventListener('click', () => {
    const id = editing;
    editForm.hidden = true;
    editing = undefined;
    $(`catalogue-edit-${id}`)?.focus();
  });
  $('catalogue-add-cancel').addEventListener('click', () => {
    addForm.reset();
    clearInvalid(addForm);
    addForm.hidden = true;
    $('catalogue-add-open').focus();
  });

  return {
    load,
    show,
    render,
    /** Hides the section (another one is shown). */
    hide() {
      $('catalogue').hidden = true;
    },
    /** Forgets the catalogue and closes the forms (signed out). */
    reset() {
      services = undefined;
      editing = undefined;
      editForm.hidden = true;
      addForm.reset();
      addForm.hidden = true;
      $('catalogue').hidden = true;
      $('catalogue-rows').replaceChildren();
    },
  };

  // ── The forms' fields ────────────────────────────────────────────────────
  /** A label translated now and again on a language switch. */
  function label(forId, key) {
    return h('label', { for: forId, 'data-i18n': key, text: t(key) });
  }

  function checkBox(id, name, value, key) {
    return h('div', { class: 'check' }, h('input', { type: 'checkbox', id, name, value }), label(id, key));
  }

  function numberField(id, key, hintId) {
    return h('div', { class: 'field' }, label(id, key), h('input', { id, name: id, type: 'number', inputmode: 'numeric', min: '0', max: '150', step: '1', 'aria-describedby': hintId }));
  }

  /** The fields of a service definition; `withId`: a new service's id first. Ids are `${prefix}-…`. */
  function serviceFields({ prefix, withId }) {
    const fields = [];
    if (withId)
      fields.push(
        h(
          'div',
          { class: 'field' },
          label(`${prefix}-id`, 'newServiceId'),
          h('input', { id: `${prefix}-id`, name: 'id', type: 'text', required: true, pattern: SLUG_PATTERN, maxlength: '63', autocomplete: 'off', autocapitalize: 'none', spellcheck: 'false', 'aria-describedby': `${prefix}-id-hint` }),
          h('p', { id: `${prefix}-id-hint`, class: 'hint', 'data-i18n': 'serviceIdHint', text: t('serviceIdHint') }),
        ),
      );
    fields.push(
      h(
        'fieldset',
        {},
        h('legend', { 'data-i18n': 'serviceNames', text: t('serviceNames') }),
        h('div', { class: 'grid' }, ...LANGUAGES.map((lang) => h('div', { class: 'field' }, label(`${prefix}-name-${lang}`, `nameIn_${lang}`), h('input', { id: `${prefix}-name-${lang}`, name: `name-${lang}`, type: 'text', lang, required: true, maxlength: '100', autocomplete: 'off' })))),
      ),
      h(
        'fieldset',
        { 'aria-describedby': `${prefix}-tiers-hint` },
        h('legend', { 'data-i18n': 'tiersOffered', text: t('tiersOffered') }),
        h('p', { id: `${prefix}-tiers-hint`, class: 'hint', 'data-i18n': 'tiersHint', text: t('tiersHint') }),
        h('div', { class: 'catalogue-checks' }, ...SERVICE_TIERS.map((tier) => checkBox(`${prefix}-tier-${tier}`, 'tier', tier, `tier_${tier}`))),
      ),
      h(
        'fieldset',
        {},
        h('legend', { 'data-i18n': 'documentsRequired', text: t('documentsRequired') }),
        h('div', { class: 'catalogue-checks' }, ...REQUIRED_DOCUMENT_KINDS.map((kind) => checkBox(`${prefix}-doc-${kind}`, 'document', kind, `doc_${kind}`))),
      ),
      h(
        'fieldset',
        {},
        h('legend', { 'data-i18n': 'ageLimits', text: t('ageLimits') }),
        h('div', { class: 'grid' }, numberField(`${prefix}-min-age`, 'minAge', `${prefix}-age-hint`), numberField(`${prefix}-max-age`, 'maxAge', `${prefix}-age-hint`)),
        h('p', { id: `${prefix}-age-hint`, class: 'hint', 'data-i18n': 'ageHint', text: t('ageHint') }),
      ),
      checkBox(`${prefix}-active`, 'active', 'true', 'activeLabel'),
    );
    return fields;
  }

  function formActions({ submitKey, cancelId }) {
    return h('div', { class: 'actions' }, h('button', { type: 'submit', 'data-i18n': submitKey, text: t(submitKey) }), h('button', { type: 'button', class: 'secondary', id: cancelId, 'data-i18n': 'cancel', text: t('cancel') }));
  }

  function fillFields(prefix, service) {
    for (const lang of LANGUAGES) $(`${prefix}-name-${lang}`).value = service.names?.[lang] ?? '';
    for (const tier of SERVICE_TIERS) $(`${prefix}-tier-${tier}`).checked = service.tiers.includes(tier);
    for (const kind of REQUIRED_DOCUMENT_KINDS) $(`${prefix}-doc-${kind}`).checked = service.requiredDocuments.includes(kind);
    $(`${prefix}-min-age`).value = service.minAge === undefined ? '' : String(service.minAge);
    $(`${prefix}-max-age`).value = service.maxAge === undefined ? '' : String(service.maxAge);
    $(`${prefix}-active`).checked = service.active !== false;
    clearInvalid($(`${prefix}-active`).form);
  }

  /** The `ServiceDefinition` body the forms describe (no age: no limit). */
  function readFields(prefix, id) {
    const age = (el) => (el.value.trim() === '' ? undefined : Number(el.value));
    const minAge = age($(`${prefix}-min-age`));
    const maxAge = age($(`${prefix}-max-age`));
    return {
      id,
      names: Object.fromEntries(LANGUAGES.map((lang) => [lang, $(`${prefix}-name-${lang}`).value.trim()])),
      tiers: SERVICE_TIERS.filter((tier) => $(`${prefix}-tier-${tier}`).checked),
      requiredDocuments: REQUIRED_DOCUMENT_KINDS.filter((kind) => $(`${prefix}-doc-${kind}`).checked),
      ...(minAge === undefined ? {} : { minAge }),
      ...(maxAge === undefined ? {} : { maxAge }),
      active: $(`${prefix}-active`).checked,
    };
  }
}

function clearInvalid(form) {
  for (const el of form.querySelectorAll('[aria-invalid]')) el.removeAttribute('aria-invalid');
}

/** The text of the field's label (a box's own label: a tier, a document). */
function labelOf(el) {
  const own = el.id ? document.querySelector(`label[for="${el.id}"]`)?.textContent : undefined;
  const legend = el.type === 'checkbox' ? el.closest('fieldset')?.querySelector('legend')?.textContent : undefined;
  return legend ?? own ?? el.name;
}

function focusHeading(heading) {
  heading.setAttribute('tabindex', '-1');
  heading.focus();
}
