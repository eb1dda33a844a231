/**
 * Stands in for `isomorphic-webcrypto`, which fhirclient loads only where `globalThis.crypto` is missing:
 * every browser the app supports has Web Crypto (PKCE needs it), so the shim's polyfills are not bundled.
 */
export default globalThis.crypto;
