import type { SendAuthStrings } from '../strings.js';

/**
 * Polish, addressing the visitor directly ("Zaloguj się", "Spróbuj ponownie") as Apple, Google and
 * Microsoft do; a passkey is a "klucz dostępu", as all three say it.
 */
export const pl: SendAuthStrings = {
  usernameLabel: 'Adres e-mail',
  firstNameLabel: 'Imię',
  lastNameLabel: 'Nazwisko',
  emailLabel: 'Adres e-mail',
  signInButton: 'Zaloguj się kluczem dostępu',
  registerButton: 'Utwórz klucz dostępu',
  signupButton: 'Zarejestruj się kluczem dostępu',
  statusStarting: 'Łączenie z serwerem…',
  statusCeremony: 'Kontynuuj w oknie klucza dostępu w przeglądarce.',
  statusVerifying: 'Sprawdzanie klucza dostępu…',
  statusSignedIn: 'Zalogowano.',
  statusRegistered: 'Klucz dostępu jest gotowy.',
  statusCancelled: 'Anulowano.',
  fieldRequired: 'Wypełnij to pole.',
  fieldLength: 'Wpisz od 2 do 50 znaków.',
  emailInvalid: 'Wpisz adres e-mail, np. imie@przyklad.pl.',
  fieldCharacters: 'Usuń z tego pola znaki sterujące (np. tabulatory).',
  emailTooLong: 'Adres e-mail może mieć najwyżej 256 znaków.',
  emailUnsupported: 'Przed znakiem @ używaj tylko liter a–z, cyfr i znaków . _ + -: nie można tam użyć polskich liter (ą, ę, ł…) ani innych alfabetów.',
  errors: {
    'not-supported': 'Ta przeglądarka nie obsługuje kluczy dostępu. Użyj aktualnej wersji Chrome, Safari, Firefoksa lub Edge.',
    'insecure-context': 'Klucze dostępu działają tylko na bezpiecznych stronach (https).',
    cancelled: 'Okno klucza dostępu zostało zamknięte lub nie wybrano klucza. Spróbuj ponownie.',
    timeout: 'Trwało to zbyt długo. Spróbuj ponownie.',
    'user-not-found': 'Nie znaleźliśmy konta z tym adresem e-mail.',
    'no-passkey': 'Nie znaleziono klucza dostępu dla tego adresu e-mail. Sprawdź adres lub najpierw się zarejestruj.',
    'already-registered': 'Masz już klucz dostępu do tego konta na tym urządzeniu.',
    'already-exists': 'Konto z tym adresem e-mail już istnieje.',
    unauthorized: 'Najpierw się zaloguj.',
    forbidden: 'Nie masz uprawnień, aby to zrobić.',
    'tx-expired': 'Prośba wygasła. Spróbuj ponownie.',
    'tx-denied': 'Prośba została odrzucona. Spróbuj ponownie.',
    'tx-not-found': 'Ta prośba jest już nieważna. Spróbuj ponownie.',
    replayed: 'Ta odpowiedź klucza dostępu została już użyta. Spróbuj ponownie.',
    'rate-limited': 'Zbyt wiele prób. Odczekaj minutę i spróbuj ponownie.',
    'invalid-request': 'Niektóre dane są nieprawidłowe. Sprawdź je i spróbuj ponownie.',
    network: 'Nie udało się połączyć z serwerem. Sprawdź połączenie i spróbuj ponownie.',
    upstream: 'Usługa logowania jest teraz niedostępna. Spróbuj ponownie później.',
    'rp-mismatch': 'Tego klucza dostępu nie można użyć w tej witrynie.',
  },
};
