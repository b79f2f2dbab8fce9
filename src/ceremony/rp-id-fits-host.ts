/**
 * Whether an RP ID may be used from a page on `hostname`: equal to it or a
 * registrable-domain suffix of it (WebAuthn L2 §5.1.3 step 8, §5.1.4.1
 * step 6). The browser also refuses public suffixes; that still arrives as a
 * SecurityError, which `identifyCeremonyError` maps to the same code.
 */
export function rpIdFitsHost(rpId: string, hostname: string): boolean {
  const rp = rpId.toLowerCase();
  const host = hostname.toLowerCase();
  return host === rp || host.endsWith(`.${rp}`);
}
