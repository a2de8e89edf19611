/**
 * The terminal screen's strings in English, French and Spanish (keys match
 * `data-i18n` attributes in index.html and the `t()` calls in screen.js;
 * web/shared/i18n.js does the rest), and the short sentence for each
 * failure code.
 */
export const SCREEN_STRINGS = {
  en: {
    title: 'Urbis terminal', language: 'Language', scan: 'Scan with your wallet', service: 'Service: {service}',
    linkSummary: 'Request link (same device)', linkLabel: 'Request link', answerHeading: 'Answer',
    answerLabel: "Paste the wallet's answer, or scan a paper card", verify: 'Verify', next: 'Next person', qrAlt: 'QR code of the request for {service}',
    loading: 'Preparing a new request…', expires: 'New code at {time}', unreachable: 'The terminal does not answer. Retrying…',
    accepted: 'ACCEPTED', rejected: 'REJECTED', checking: 'Checking…',
    snapshot: 'Trust data: {age} old', snapshotNone: 'No trust data loaded', stale: '(too old)',
    seconds: '{n} s', minutes: '{n} min', hours: '{n} h', days: '{n} days',
    claim_tier: 'Tier', claim_service_id: 'Service', claim_age_over_18: 'Over 18', claim_age_over_65: 'Over 65', claim_municipality: 'Municipality', claim_pseudonym: 'Service pseudonym', yes: 'yes', no: 'no',
    r_kb: 'The answer is not for this request: show the new code and try again.',
    r_replay: 'This answer was already used.',
    r_revoked: 'The credential has been revoked.', r_suspended: 'The credential is suspended.',
    r_expired: 'The credential has expired or is not valid yet.',
    r_issuer: 'The credential comes from an issuer this terminal does not trust.',
    r_policy: 'The credential does not give access to this service.',
    r_paper: 'Paper cards are not accepted for this service: please use the wallet app or ask at the desk.',
    r_stale: 'The terminal’s trust data is too old: it must sync.',
    r_status: 'The credential’s status cannot be checked.',
    r_malformed: 'This is not a valid presentation.', r_signature: 'The signature is not valid.',
    r_size: 'The answer is too large.', r_other: 'The credential could not be verified.',
  },
  fr: {
    title: 'Terminal Urbis', language: 'Langue', scan: 'Scannez avec votre portefeuille', service: 'Service : {service}',
    linkSummary: 'Lien de la demande (même appareil)', linkLabel: 'Lien de la demande', answerHeading: 'Réponse',
    answerLabel: 'Collez la réponse du portefeuille, ou scannez une carte papier', verify: 'Vérifier', next: 'Personne suivante', qrAlt: 'QR code de la demande pour {service}',
    loading: 'Préparation d’une nouvelle demande…', expires: 'Nouveau code à {time}', unreachable: 'Le terminal ne répond pas. Nouvel essai…',
    accepted: 'ACCEPTÉ', rejected: 'REFUSÉ', checking: 'Vérification…',
    snapshot: 'Données de confiance : il y a {age}', snapshotNone: 'Aucune donnée de confiance chargée', stale: '(trop anciennes)',
    seconds: '{n} s', minutes: '{n} min', hours: '{n} h', days: '{n} jours',
    claim_tier: 'Tarif', claim_service_id: 'Service', claim_age_over_18: 'Plus de 18 ans', claim_age_over_65: 'Plus de 65 ans', claim_municipality: 'Commune', claim_pseudonym: 'Pseudonyme du service', yes: 'oui', no: 'non',
    r_kb: 'La réponse ne correspond pas à cette demande : montrez le nouveau code et réessayez.',
    r_replay: 'Cette réponse a déjà été utilisée.',
    r_revoked: 'L’attestation a été révoquée.', r_suspended: 'L’attestation est suspendue.',
    r_expired: 'L’attestation a expiré ou n’est pas encore valable.',
    r_issuer: 'L’attestation vient d’un émetteur que ce terminal ne reconnaît pas.',
    r_policy: 'L’attestation ne donne pas accès à ce service.',
    r_paper: 'Les cartes papier ne sont pas acceptées pour ce service : utilisez le portefeuille ou adressez-vous à l’accueil.',
    r_stale: 'Les données de confiance du terminal sont trop anciennes : il doit se synchroniser.',
    r_status: 'L’état de l’attestation ne peut pas être vérifié.',
    r_malformed: 'Ce n’est pas une présentation valide.', r_signature: 'La signature n’est pas valide.',
    r_size: 'La réponse est trop grande.', r_other: 'L’attestation n’a pas pu être vérifiée.',
  },
  es: {
    title: 'Terminal Urbis', language: 'Idioma', scan: 'Escanee con su cartera', service: 'Servicio: {service}',
    linkSummary: 'Enlace de la solicitud (mismo dispositivo)', linkLabel: 'Enlace de la solicitud', answerHeading: 'Respuesta',
    answerLabel: 'Pegue la respuesta de la cartera, o escanee una tarjeta de papel', verify: 'Verificar', next: 'Siguiente persona', qrAlt: 'Código QR de la solicitud para {service}',
    loading: 'Preparando una nueva solicitud…', expires: 'Nuevo código a las {time}', unreachable: 'El terminal no responde. Reintentando…',
    accepted: 'ACEPTADO', rejected: 'RECHAZADO', checking: 'Verificando…',
    snapshot: 'Datos de confianza: hace {age}', snapshotNone: 'No hay datos de confianza cargados', stale: '(demasiado antiguos)',
    seconds: '{n} s', minutes: '{n} min', hours: '{n} h', days: '{n} días',
    claim_tier: 'Tarifa', claim_service_id: 'Servicio', claim_age_over_18: 'Mayor de 18', claim_age_over_65: 'Mayor de 65', claim_municipality: 'Municipio', claim_pseudonym: 'Seudónimo del servicio', yes: 'sí', no: 'no',
    r_kb: 'La respuesta no corresponde a esta solicitud: muestre el nuevo código e inténtelo de nuevo.',
    r_replay: 'Esta respuesta ya se utilizó.',
    r_revoked: 'La credencial ha sido revocada.', r_suspended: 'La credencial está suspendida.',
    r_expired: 'La credencial ha caducado o aún no es válida.',
    r_issuer: 'La credencial procede de un emisor en el que este terminal no confía.',
    r_policy: 'La credencial no da acceso a este servicio.',
    r_paper: 'Las tarjetas de papel no se aceptan en este servicio: use la cartera o pregunte en el mostrador.',
    r_stale: 'Los datos de confianza del terminal son demasiado antiguos: debe sincronizarse.',
    r_status: 'No se puede comprobar el estado de la credencial.',
    r_malformed: 'No es una presentación válida.', r_signature: 'La firma no es válida.',
    r_size: 'La respuesta es demasiado grande.', r_other: 'No se pudo verificar la credencial.',
  },
};

/** The short sentence (a key of SCREEN_STRINGS) for a failure code. */
export function reasonKey(code) {
  if (code === 'KB_REPLAYED') return 'r_replay';
  if (code === 'POLICY_PAPER_REFUSED' || code === 'PAPER_NOT_ACCEPTED') return 'r_paper';
  if (code === 'STATUS_REVOKED') return 'r_revoked';
  if (code === 'STATUS_SUSPENDED') return 'r_suspended';
  if (code === 'SNAPSHOT_STALE' || code === 'SNAPSHOT_MISSING') return 'r_stale';
  if (code === 'INPUT_TOO_LARGE') return 'r_size';
  if (code === 'SIGNATURE_INVALID') return 'r_signature';
  if (code.startsWith('KB_')) return 'r_kb';
  if (code.startsWith('STATUS_')) return 'r_status';
  if (code.startsWith('POLICY_') || code === 'SERVICE_UNKNOWN' || code === 'CLAIM_MISSING') return 'r_policy';
  if (code.startsWith('ISSUER_')) return 'r_issuer';
  if (['CREDENTIAL_EXPIRED', 'CREDENTIAL_NOT_YET_VALID', 'IAT_IN_FUTURE'].includes(code)) return 'r_expired';
  if (/^(JWS_|SD_|DISCLOSURE_|DIGEST_|TYP_|ALG_|HEADER_|CLAIM_|BODY_|JSON_|CONTENT_TYPE_)/.test(code) || code === 'CREDENTIAL_UNSECURED') return 'r_malformed';
  return 'r_other';
}
