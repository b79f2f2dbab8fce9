import type { SendAuthStrings } from '../strings.js';

/**
 * Dutch, addressing the visitor as "je" as Apple and Google do; a passkey is a "toegangssleutel", as Apple
 * and Google say it.
 */
export const nl: SendAuthStrings = {
  usernameLabel: 'E-mailadres',
  firstNameLabel: 'Voornaam',
  lastNameLabel: 'Achternaam',
  emailLabel: 'E-mailadres',
  signInButton: 'Inloggen met een toegangssleutel',
  registerButton: 'Toegangssleutel maken',
  signupButton: 'Registreren met een toegangssleutel',
  statusStarting: 'Verbinden met de server…',
  statusCeremony: 'Ga verder in het toegangssleutelvenster van je browser.',
  statusVerifying: 'Toegangssleutel controleren…',
  statusSignedIn: 'Je bent ingelogd.',
  statusRegistered: 'Je toegangssleutel is klaar.',
  statusCancelled: 'Geannuleerd.',
  fieldRequired: 'Vul dit veld in.',
  fieldLength: 'Gebruik 2 tot 50 tekens.',
  emailInvalid: 'Vul een e-mailadres in zoals naam@voorbeeld.nl.',
  fieldCharacters: 'Verwijder de stuurtekens (zoals tabs) uit dit veld.',
  emailTooLong: 'Een e-mailadres mag maximaal 256 tekens lang zijn.',
  emailUnsupported: 'Gebruik vóór de @ alleen de letters a–z, cijfers en . _ + -: letters met accenten en andere schriften kunnen daar niet.',
  errors: {
    'not-supported': 'Deze browser ondersteunt geen toegangssleutels. Probeer een recente versie van Chrome, Safari, Firefox of Edge.',
    'insecure-context': 'Toegangssleutels werken alleen op een beveiligde pagina (https).',
    cancelled: 'Het toegangssleutelvenster is gesloten of er is geen toegangssleutel gekozen. Probeer het opnieuw.',
    timeout: 'Dit duurde te lang. Probeer het opnieuw.',
    'user-not-found': 'We kunnen geen account met dit e-mailadres vinden.',
    'no-passkey': 'Er is geen toegangssleutel gevonden voor dit e-mailadres. Controleer het adres of registreer je eerst.',
    'already-registered': 'Je hebt op dit apparaat al een toegangssleutel voor dit account.',
    'already-exists': 'Er bestaat al een account met dit e-mailadres.',
    unauthorized: 'Log eerst in.',
    forbidden: 'Je hebt geen toestemming om dit te doen.',
    'tx-expired': 'Het verzoek is verlopen. Probeer het opnieuw.',
    'tx-denied': 'Het verzoek is geweigerd. Probeer het opnieuw.',
    'tx-not-found': 'Het verzoek is niet meer geldig. Probeer het opnieuw.',
    replayed: 'Dit antwoord van de toegangssleutel is al gebruikt. Probeer het opnieuw.',
    'rate-limited': 'Te veel pogingen. Wacht een minuut en probeer het opnieuw.',
    'invalid-request': 'Sommige gegevens zijn ongeldig. Controleer ze en probeer het opnieuw.',
    network: 'We kunnen de server niet bereiken. Controleer je verbinding en probeer het opnieuw.',
    upstream: 'De inlogdienst is nu niet beschikbaar. Probeer het later opnieuw.',
    'rp-mismatch': 'Deze toegangssleutel kan niet op deze website worden gebruikt.',
  },
};
