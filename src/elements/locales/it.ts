import type { SendAuthStrings } from '../strings.js';

/**
 * Italian, addressing the visitor as "tu" as Apple and Google do; "passkey" (feminine: "una passkey"), as
 * Apple, Google and Microsoft say it.
 */
export const it: SendAuthStrings = {
  usernameLabel: 'Email',
  firstNameLabel: 'Nome',
  lastNameLabel: 'Cognome',
  emailLabel: 'Email',
  signInButton: 'Accedi con una passkey',
  registerButton: 'Crea una passkey',
  signupButton: 'Registrati con una passkey',
  statusStarting: 'Connessione al server…',
  statusCeremony: 'Continua nella finestra delle passkey del browser.',
  statusVerifying: 'Verifica della passkey in corso…',
  statusSignedIn: 'Accesso effettuato.',
  statusRegistered: 'La tua passkey è pronta.',
  statusCancelled: 'Annullato.',
  fieldRequired: 'Compila questo campo.',
  fieldLength: 'Usa da 2 a 50 caratteri.',
  emailInvalid: 'Inserisci un indirizzo email come nome@esempio.it.',
  fieldCharacters: 'Rimuovi da questo campo i caratteri di controllo (come le tabulazioni).',
  emailTooLong: 'Un indirizzo email può avere al massimo 256 caratteri.',
  emailUnsupported: 'Prima della @ usa solo le lettere a–z, le cifre e . _ + -: lettere accentate e altri alfabeti lì non sono ammessi.',
  errors: {
    'not-supported': 'Questo browser non supporta le passkey. Prova una versione recente di Chrome, Safari, Firefox o Edge.',
    'insecure-context': 'Le passkey funzionano solo su pagine sicure (https).',
    cancelled: 'La finestra delle passkey è stata chiusa o non è stata scelta nessuna passkey. Riprova.',
    timeout: 'Ci è voluto troppo tempo. Riprova.',
    'user-not-found': 'Non abbiamo trovato nessun account con questo indirizzo email.',
    'no-passkey': 'Nessuna passkey trovata per questo indirizzo email. Controllalo o registrati prima.',
    'already-registered': 'Hai già una passkey per questo account su questo dispositivo.',
    'already-exists': 'Esiste già un account con questo indirizzo email.',
    unauthorized: 'Accedi prima di continuare.',
    forbidden: 'Non hai l’autorizzazione per farlo.',
    'tx-expired': 'La richiesta è scaduta. Riprova.',
    'tx-denied': 'La richiesta è stata rifiutata. Riprova.',
    'tx-not-found': 'La richiesta non è più valida. Riprova.',
    replayed: 'Questa risposta della passkey è già stata usata. Riprova.',
    'rate-limited': 'Troppi tentativi. Attendi un minuto e riprova.',
    'invalid-request': 'Alcuni dati non sono validi. Controllali e riprova.',
    network: 'Impossibile raggiungere il server. Controlla la connessione e riprova.',
    upstream: 'Il servizio di accesso non è disponibile al momento. Riprova più tardi.',
    'rp-mismatch': 'Questa passkey non può essere usata su questo sito.',
  },
};
