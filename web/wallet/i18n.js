/** Strings of the browser wallet (en, fr, es). */
export const STRINGS = {
  en: {
    newPassphrase: 'New passphrase for this device', restoreHeading: 'Or restore a backup', backupFile: 'Backup file', backupFilePassphrase: 'Passphrase of the backup', restore: 'Restore', restored: 'Restored: {carried} copies carried over, {reissued} copies issued again by the city.',
    title: 'My Urbis wallet', language: 'Language', lock: 'Lock',
    unlockHeading: 'Open your wallet', createHeading: 'Create your wallet', passphrase: 'Passphrase', passphraseHint: 'At least 8 characters. It never leaves this device.',
    create: 'Create wallet', unlock: 'Unlock', working: 'Working…', created: 'Your wallet is ready.', unlocked: 'Wallet unlocked.', locked: 'Wallet locked.',
    receiveHeading: 'Receive a credential', offerLabel: 'Offer link (from the city)', txCodeLabel: 'Transaction code (sent to you by e-mail)', receive: 'Receive',
    trustHeading: 'Trust this issuer?', trustText: '{name} ({url}) wants to give you credentials. Only accept if this is your city.', trust: 'Trust and receive', cancel: 'Cancel',
    received: 'Received: {list}.', copies: '{n} copies', pending: 'pending',
    credentialsHeading: 'My credentials', noCredentials: 'No credentials yet.', copiesLeft: '{n} copies left', low: 'running low: ask the city for more',
    ResidentCredential: 'Resident card', ServiceEntitlementCredential: 'Service pass', service: 'service {service}',
    presentHeading: 'Show a credential', requestLabel: 'Request link (from the service point)', continue: 'Continue',
    consentHeading: 'Share these details?', consentTo: 'With: {verifier}', consentOnly: 'Only these details are shared:', share: 'Share', leftAfter: '{n} copies left after this one',
    presentationHeading: 'Show this code at the service point', presentationQrAlt: 'QR code of your answer', presentationText: 'Answer as text (to paste)', copy: 'Copy', copied: 'Copied.',
    historyHeading: 'History', noHistory: 'Nothing shared yet.', historyItem: '{date}: {claims} to {verifier}',
    backupHeading: 'Backup', backupPassphrase: 'Backup passphrase', backupHint: 'Keys bound to this device do not travel: after a restore the city re-issues those credentials.', backup: 'Make a backup', download: 'Download the backup',
    yes: 'yes', no: 'no',
    claim_age_over_18: 'Over 18', claim_age_over_65: 'Over 65', claim_given_name: 'Given name', claim_family_name: 'Family name', claim_birthdate: 'Date of birth',
    claim_municipality: 'Municipality', claim_service_id: 'Service', claim_tier: 'Tier', claim_pseudonym: 'Service pseudonym', claim_resident_since: 'Resident since',
    e_ISSUER_UNTRUSTED: 'This issuer is not trusted by your wallet.', e_TX_CODE_INVALID: 'The transaction code is wrong.', e_OFFER_EXPIRED: 'This offer has expired: ask the city for a new one.',
    e_OFFER_NOT_FOUND: 'This offer is unknown or already used.', e_PRE_AUTH_CODE_REPLAYED: 'This offer was already used.', e_ISSUER_UNREACHABLE: 'The city cannot be reached. Try again later.',
    e_WALLET_PASSPHRASE_WRONG: 'Wrong passphrase.', e_WALLET_EXISTS: 'A wallet already exists on this device.', e_RESOURCE_NOT_FOUND: 'Your wallet has no credential that answers this request.',
    e_BODY_INVALID: 'This link is not valid.', e_INVALID_ARGUMENT: 'Please check what you typed.', e_other: 'Something went wrong.',
  },
  fr: {
    newPassphrase: 'Nouvelle phrase secrète pour cet appareil', restoreHeading: 'Ou restaurer une sauvegarde', backupFile: 'Fichier de sauvegarde', backupFilePassphrase: 'Phrase secrète de la sauvegarde', restore: 'Restaurer', restored: 'Restauré : {carried} copies reprises, {reissued} copies réémises par la mairie.',
    title: 'Mon portefeuille Urbis', language: 'Langue', lock: 'Verrouiller',
    unlockHeading: 'Ouvrir votre portefeuille', createHeading: 'Créer votre portefeuille', passphrase: 'Phrase secrète', passphraseHint: 'Au moins 8 caractères. Elle ne quitte jamais cet appareil.',
    create: 'Créer le portefeuille', unlock: 'Déverrouiller', working: 'En cours…', created: 'Votre portefeuille est prêt.', unlocked: 'Portefeuille déverrouillé.', locked: 'Portefeuille verrouillé.',
    receiveHeading: 'Recevoir une attestation', offerLabel: 'Lien de l’offre (de la mairie)', txCodeLabel: 'Code de transaction (reçu par e-mail)', receive: 'Recevoir',
    trustHeading: 'Faire confiance à cet émetteur ?', trustText: '{name} ({url}) veut vous délivrer des attestations. N’acceptez que s’il s’agit de votre ville.', trust: 'Faire confiance et recevoir', cancel: 'Annuler',
    received: 'Reçu : {list}.', copies: '{n} copies', pending: 'en attente',
    credentialsHeading: 'Mes attestations', noCredentials: 'Aucune attestation pour l’instant.', copiesLeft: '{n} copies restantes', low: 'bientôt épuisé : demandez-en d’autres à la mairie',
    ResidentCredential: 'Carte de résident', ServiceEntitlementCredential: 'Accès à un service', service: 'service {service}',
    presentHeading: 'Présenter une attestation', requestLabel: 'Lien de la demande (du point de service)', continue: 'Continuer',
    consentHeading: 'Partager ces informations ?', consentTo: 'Avec : {verifier}', consentOnly: 'Seules ces informations sont partagées :', share: 'Partager', leftAfter: '{n} copies restantes après celle-ci',
    presentationHeading: 'Montrez ce code au point de service', presentationQrAlt: 'QR code de votre réponse', presentationText: 'Réponse en texte (à coller)', copy: 'Copier', copied: 'Copié.',
    historyHeading: 'Historique', noHistory: 'Rien n’a encore été partagé.', historyItem: '{date} : {claims} à {verifier}',
    backupHeading: 'Sauvegarde', backupPassphrase: 'Phrase secrète de la sauvegarde', backupHint: 'Les clés liées à cet appareil ne sont pas copiées : après une restauration, la mairie réémet ces attestations.', backup: 'Faire une sauvegarde', download: 'Télécharger la sauvegarde',
    yes: 'oui', no: 'non',
    claim_age_over_18: 'Plus de 18 ans', claim_age_over_65: 'Plus de 65 ans', claim_given_name: 'Prénom', claim_family_name: 'Nom', claim_birthdate: 'Date de naissance',
    claim_municipality: 'Commune', claim_service_id: 'Service', claim_tier: 'Tarif', claim_pseudonym: 'Pseudonyme du service', claim_resident_since: 'Résident depuis',
    e_ISSUER_UNTRUSTED: 'Votre portefeuille ne fait pas confiance à cet émetteur.', e_TX_CODE_INVALID: 'Le code de transaction est faux.', e_OFFER_EXPIRED: 'Cette offre a expiré : demandez-en une nouvelle.',
    e_OFFER_NOT_FOUND: 'Offre inconnue ou déjà utilisée.', e_PRE_AUTH_CODE_REPLAYED: 'Cette offre a déjà été utilisée.', e_ISSUER_UNREACHABLE: 'La mairie est injoignable. Réessayez plus tard.',
    e_WALLET_PASSPHRASE_WRONG: 'Phrase secrète incorrecte.', e_WALLET_EXISTS: 'Un portefeuille existe déjà sur cet appareil.', e_RESOURCE_NOT_FOUND: 'Aucune attestation de votre portefeuille ne répond à cette demande.',
    e_BODY_INVALID: 'Ce lien n’est pas valide.', e_INVALID_ARGUMENT: 'Vérifiez votre saisie.', e_other: 'Une erreur est survenue.',
  },
  es: {
    newPassphrase: 'Nueva frase de paso para este dispositivo', restoreHeading: 'O restaurar una copia de seguridad', backupFile: 'Archivo de la copia', backupFilePassphrase: 'Frase de paso de la copia', restore: 'Restaurar', restored: 'Restaurado: {carried} copias recuperadas, {reissued} copias emitidas de nuevo por el ayuntamiento.',
    title: 'Mi cartera Urbis', language: 'Idioma', lock: 'Bloquear',
    unlockHeading: 'Abrir su cartera', createHeading: 'Crear su cartera', passphrase: 'Frase de paso', passphraseHint: 'Al menos 8 caracteres. Nunca sale de este dispositivo.',
    create: 'Crear cartera', unlock: 'Desbloquear', working: 'Procesando…', created: 'Su cartera está lista.', unlocked: 'Cartera desbloqueada.', locked: 'Cartera bloqueada.',
    receiveHeading: 'Recibir una credencial', offerLabel: 'Enlace de la oferta (del ayuntamiento)', txCodeLabel: 'Código de transacción (recibido por correo)', receive: 'Recibir',
    trustHeading: '¿Confiar en este emisor?', trustText: '{name} ({url}) quiere entregarle credenciales. Acepte solo si es su ciudad.', trust: 'Confiar y recibir', cancel: 'Cancelar',
    received: 'Recibido: {list}.', copies: '{n} copias', pending: 'pendiente',
    credentialsHeading: 'Mis credenciales', noCredentials: 'Todavía no hay credenciales.', copiesLeft: 'quedan {n} copias', low: 'quedan pocas: pida más al ayuntamiento',
    ResidentCredential: 'Tarjeta de residente', ServiceEntitlementCredential: 'Acceso a un servicio', service: 'servicio {service}',
    presentHeading: 'Mostrar una credencial', requestLabel: 'Enlace de la solicitud (del punto de servicio)', continue: 'Continuar',
    consentHeading: '¿Compartir estos datos?', consentTo: 'Con: {verifier}', consentOnly: 'Solo se comparten estos datos:', share: 'Compartir', leftAfter: 'quedan {n} copias después de esta',
    presentationHeading: 'Muestre este código en el punto de servicio', presentationQrAlt: 'Código QR de su respuesta', presentationText: 'Respuesta en texto (para pegar)', copy: 'Copiar', copied: 'Copiado.',
    historyHeading: 'Historial', noHistory: 'Aún no se ha compartido nada.', historyItem: '{date}: {claims} a {verifier}',
    backupHeading: 'Copia de seguridad', backupPassphrase: 'Frase de paso de la copia', backupHint: 'Las claves ligadas a este dispositivo no viajan: tras restaurar, el ayuntamiento vuelve a emitir esas credenciales.', backup: 'Hacer una copia', download: 'Descargar la copia',
    yes: 'sí', no: 'no',
    claim_age_over_18: 'Mayor de 18', claim_age_over_65: 'Mayor de 65', claim_given_name: 'Nombre', claim_family_name: 'Apellidos', claim_birthdate: 'Fecha de nacimiento',
    claim_municipality: 'Municipio', claim_service_id: 'Servicio', claim_tier: 'Tarifa', claim_pseudonym: 'Seudónimo del servicio', claim_resident_since: 'Residente desde',
    e_ISSUER_UNTRUSTED: 'Su cartera no confía en este emisor.', e_TX_CODE_INVALID: 'El código de transacción es incorrecto.', e_OFFER_EXPIRED: 'Esta oferta ha caducado: pida una nueva.',
    e_OFFER_NOT_FOUND: 'Oferta desconocida o ya utilizada.', e_PRE_AUTH_CODE_REPLAYED: 'Esta oferta ya se utilizó.', e_ISSUER_UNREACHABLE: 'No se puede contactar con el ayuntamiento. Inténtelo más tarde.',
    e_WALLET_PASSPHRASE_WRONG: 'Frase de paso incorrecta.', e_WALLET_EXISTS: 'Ya existe una cartera en este dispositivo.', e_RESOURCE_NOT_FOUND: 'Ninguna credencial de su cartera responde a esta solicitud.',
    e_BODY_INVALID: 'Este enlace no es válido.', e_INVALID_ARGUMENT: 'Revise lo que ha escrito.', e_other: 'Algo ha fallado.',
  },
};

/** The page's language: ?lang=, then the browser's, then English. */
export function pickLanguage(search, languages) {
  const asked = new URLSearchParams(search).get('lang');
  for (const tag of [asked, ...(languages ?? [])]) {
    const base = (tag ?? '').slice(0, 2).toLowerCase();
    if (base in STRINGS) return base;
  }
  return 'en';
}

/** `template` with `{name}` replaced by `values[name]`. */
export function fill(template, values = {}) {
  return template.replace(/\{(\w+)\}/g, (_, name) => String(values[name] ?? ''));
}
