import type { SendAuthStrings } from '../strings.js';

/**
 * Swedish, addressing the visitor as "du"; a passkey is a "nyckel", as Google and Chrome's own prompt say
 * it.
 */
export const sv: SendAuthStrings = {
  usernameLabel: 'E-postadress',
  firstNameLabel: 'Förnamn',
  lastNameLabel: 'Efternamn',
  emailLabel: 'E-postadress',
  signInButton: 'Logga in med nyckel',
  registerButton: 'Skapa en nyckel',
  signupButton: 'Registrera dig med nyckel',
  statusStarting: 'Ansluter till servern…',
  statusCeremony: 'Fortsätt i webbläsarens dialogruta för nycklar.',
  statusVerifying: 'Kontrollerar din nyckel…',
  statusSignedIn: 'Du är inloggad.',
  statusRegistered: 'Din nyckel är klar.',
  statusCancelled: 'Avbrutet.',
  fieldRequired: 'Fyll i det här fältet.',
  fieldLength: 'Använd mellan 2 och 50 tecken.',
  emailInvalid: 'Ange en e-postadress som namn@exempel.se.',
  fieldCharacters: 'Ta bort styrtecknen (till exempel tabbar) från fältet.',
  emailTooLong: 'En e-postadress får ha högst 256 tecken.',
  emailUnsupported: 'Använd bara bokstäverna a–z, siffror och . _ + - före @: å, ä, ö, accenter och andra skriftsystem fungerar inte där.',
  errors: {
    'not-supported': 'Den här webbläsaren har inte stöd för nycklar. Prova en ny version av Chrome, Safari, Firefox eller Edge.',
    'insecure-context': 'Nycklar fungerar bara på en säker sida (https).',
    cancelled: 'Dialogrutan för nycklar stängdes eller så valdes ingen nyckel. Försök igen.',
    timeout: 'Det tog för lång tid. Försök igen.',
    'user-not-found': 'Vi hittade inget konto med den här e-postadressen.',
    'no-passkey': 'Ingen nyckel hittades för den här e-postadressen. Kontrollera adressen eller registrera dig först.',
    'already-registered': 'Du har redan en nyckel för det här kontot på den här enheten.',
    'already-exists': 'Det finns redan ett konto med den här e-postadressen.',
    unauthorized: 'Logga in först.',
    forbidden: 'Du har inte behörighet att göra det här.',
    'tx-expired': 'Förfrågan har gått ut. Försök igen.',
    'tx-denied': 'Förfrågan nekades. Försök igen.',
    'tx-not-found': 'Förfrågan är inte längre giltig. Försök igen.',
    replayed: 'Svaret från nyckeln har redan använts. Försök igen.',
    'rate-limited': 'För många försök. Vänta en minut och försök igen.',
    'invalid-request': 'Vissa uppgifter är ogiltiga. Kontrollera dem och försök igen.',
    network: 'Vi når inte servern. Kontrollera din anslutning och försök igen.',
    upstream: 'Inloggningstjänsten är inte tillgänglig just nu. Försök igen senare.',
    'rp-mismatch': 'Den här nyckeln kan inte användas på den här webbplatsen.',
  },
};
