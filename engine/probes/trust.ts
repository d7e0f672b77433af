/** A `ca` option that is not PEM fails the check with this, instead of an OpenSSL code. */
export const NOT_PEM = 'ca is not a PEM certificate (it must contain -----BEGIN CERTIFICATE-----)';

/** True when a `ca` value can be handed to TLS; the value itself is never put in a message. */
export const isPem = (ca: string): boolean => ca.includes('-----BEGIN CERTIFICATE-----');
