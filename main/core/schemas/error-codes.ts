/**
 * Every error code Backplane itself produces, with the HTTP status serve mode answers it with and the
 * hint shown when the error carries none of its own. The one list: the router, the hosts and the
 * renderer name codes through `ErrorCode`, never as string literals, and docs/api.md lists the same
 * codes (a test compares them).
 *
 * Statuses follow one rule: a mistake in the request is 4xx; a backend that failed or could not be
 * reached is 502 or 504 (Backplane is a gateway to it); only a fault of Backplane itself is 500.
 * A custom engine may throw codes of its own; they reach the GUI unchanged, answered with 502.
 */
export const ERROR_CATALOGUE = {
  // The request itself
  E_INVALID_INPUT: { status: 400, hint: 'Fix the fields named in details.issues.' },
  E_INVALID_JSON: { status: 400, hint: 'Send a JSON object, e.g. {"alias": "default"}.' },
  E_INVALID_QUERY: { status: 400, hint: 'Check the search syntax in docs/outbox.md.' },
  E_INVALID_NAME: { status: 400, hint: 'Use letters, digits, "-", "_" or ".".' },
  E_PATH_OUTSIDE_ROOT: { status: 400, hint: 'Use a name inside the storage, without ".." or absolute paths.' },
  E_UNKNOWN_KIND: { status: 400, hint: 'The kinds are mail, data, cache, auth and storage.' },
  E_UNSUPPORTED: { status: 400, hint: 'Use an alias whose engine supports it.' },
  E_NO_RECIPIENTS: { status: 400, hint: 'Add at least one address to To, Cc or Bcc.' },
  E_BAD_HEADER: { status: 400, hint: 'Remove line breaks from header values.' },
  E_IS_DIRECTORY: { status: 400, hint: 'Open a file inside the folder instead.' },
  E_UNAUTHORIZED: { status: 401, hint: 'Send "Authorization: Bearer <token>" with the token Backplane printed at start.' },
  E_FORBIDDEN: { status: 403, hint: 'Only the Backplane GUI itself, or a client on this computer with the token, may call the API.' },
  E_READ_ONLY: { status: 403, hint: 'Turn off "read only" for this alias in Settings if you really mean to write.' },
  E_RESERVED_PATH: { status: 403, hint: "Backplane's own data directory is off limits to storage aliases; choose a location outside it." },
  E_PERMISSION: { status: 403, hint: 'Check the file or folder permissions, or pick another location.' },
  E_ENGINE_UNTRUSTED: { status: 403, hint: 'Trust the module from a terminal with "npx backplane engines trust <module>" once you have read it.' },
  E_UNKNOWN_METHOD: { status: 404, hint: 'The methods are listed in docs/api.md.' },
  E_NOT_FOUND: { status: 404, hint: 'It does not exist (any more): check the name.' },
  E_ALIAS_NOT_FOUND: { status: 404, hint: 'Add the alias in Settings, or check its name.' },
  E_METHOD_NOT_ALLOWED: { status: 405, hint: 'Use the HTTP method docs/api.md gives for this route.' },
  E_REQUEST_TIMEOUT: { status: 408, hint: 'Send the whole request at once; a body that trickles in is cut off.' },
  E_CONFLICT: { status: 409, hint: 'Choose another name, or reload and try again.' },
  E_EXISTS: { status: 409, hint: 'Choose another name.' },
  E_NOT_OPEN: { status: 409, hint: 'Open the connection first.' },
  E_ADDRESS_IN_USE: { status: 409, hint: 'Another program listens on that port: stop it, or choose another port.' },
  E_SETTINGS_CORRUPT: { status: 409, hint: 'Fix the settings file by hand and reload, or use "Back up and start fresh" in Settings.' },
  E_SETTINGS_INVALID: { status: 409, hint: 'Fix the settings file first; the issues list says where.' },
  E_NOT_CORRUPT: { status: 409, hint: 'The settings file can be read, so there is nothing to recover; edit the aliases instead.' },
  E_TOO_LARGE: { status: 413, hint: 'Send less at once.' },
  E_THROTTLED: { status: 429, hint: 'Too many failed logins: wait until details.retryAfterMs has passed, or clear the lock in Auth → Protection.' },
  E_INVALID_OPTIONS: { status: 422, hint: 'Fix the highlighted fields in Settings.' },
  E_ALIAS_INVALID: { status: 422, hint: 'Open the alias in Settings and fix the highlighted fields.' },
  E_UNKNOWN_ENGINE: { status: 422, hint: 'Choose a built-in engine, or name a custom module such as "./my-engine.mjs#MyEngine".' },
  E_ENGINE_LOAD: { status: 422, hint: 'Check that the module exists and is valid JavaScript; see docs/custom-engines.md.' },
  E_ENGINE_INTERFACE: { status: 422, hint: 'Add the missing methods; see docs/custom-engines.md for the interface of each kind.' },
  E_SECRET_MISSING: { status: 422, hint: 'Open the alias in Settings and enter the secret again.' },
  E_SQL: { status: 422, hint: 'The database rejected the statement; its message says why.' },
  E_NOT_A_DIRECTORY: { status: 422, hint: 'Choose a folder, or remove the file that has its name.' },
  E_MAIL_FOLDER_NOT_WRITABLE: { status: 422, hint: 'Give Backplane write permission on the folder, or choose another one.' },
  E_TLS_FILE: { status: 422, hint: 'Check the path of the certificate or key file.' },
  E_AUTH_TABLES_MISSING: { status: 422, hint: 'Run Django\'s "manage.py migrate" against the database.' },
  E_UNKNOWN_HASHER: { status: 422, hint: 'The hash was made by a password hasher Backplane does not know.' },
  E_BAD_HASH: { status: 422, hint: 'The stored password hash is malformed (a field is missing or not a number): set the password again.' },
  E_PASSWORD_INVALID: { status: 422, hint: 'Choose a password the validators accept; details.problems lists what each said.' },
  E_CACHE_CORRUPT: { status: 422, hint: 'The stored entry is damaged (a truncated file, a corrupt pickle): delete it and let the application set it again.' },
  E_NEEDS_CONFIRMATION: { status: 409, hint: 'The statement destroys data; confirm to run it anyway.' },
  E_CANCELLED: { status: 409, hint: 'The call was cancelled before it finished.' },
  E_HOST_KEY_UNKNOWN: { status: 409, hint: "Compare the fingerprint with the SSH server's own (ssh-keygen -lf on its host key) and trust it if they match." },
  // Backplane itself
  E_INTERNAL: { status: 500, hint: 'This is unexpected; the log has the details.' },
  E_BAD_OUTPUT: { status: 500, hint: 'This is a bug in Backplane; the log has the details.' },
  E_SECRET_UNREADABLE: { status: 500, hint: 'The secret store could not be read: is the keychain unlocked?' },
  E_SECRET_STORE_CORRUPT: { status: 500, hint: 'The encrypted secrets file cannot be decrypted; enter the secrets again.' },
  E_OUTBOX_WRITE: { status: 500, hint: 'The outbox could not store the message; the log has the details.' },
  E_DISK_FULL: { status: 507, hint: 'The disk is full: free some space and try again.' },
  // A backend, reached through Backplane
  E_ENGINE_FAILED: { status: 502, hint: 'The engine of this alias failed; if it is a custom engine, its author can tell why.' },
  E_ENGINE_OUTPUT: { status: 502, hint: 'The engine returned something of the wrong shape; run "npx backplane test-engine" on it.' },
  E_CONNECTION_REFUSED: { status: 502, hint: 'Nothing is listening there: is the server running, and are host and port right?' },
  E_CONNECTION_RESET: { status: 502, hint: 'The server closed the connection: it may require TLS, or reject this client.' },
  E_CONNECTION: { status: 502, hint: 'The connection to the server failed; check the network.' },
  E_DNS: { status: 502, hint: 'The host name does not resolve: check its spelling, or use an IP address.' },
  E_HOST_UNREACHABLE: { status: 502, hint: 'No route to that host: check the address and the network.' },
  E_TLS: { status: 502, hint: 'The TLS handshake failed: check the port and whether the server expects TLS.' },
  E_TLS_CERTIFICATE: { status: 502, hint: "The server's certificate is not trusted: add its CA file, or fix the host name." },
  E_AUTH: { status: 502, hint: 'The server refused the login: check the user name and password.' },
  E_HOST_KEY_MISMATCH: { status: 502, hint: "The SSH server's key is not the one trusted before: someone may be intercepting the connection. Only if the server's key was really changed, forget the old one and trust the new." },
  E_TUNNEL: { status: 502, hint: 'The SSH server refused to forward the connection: check AllowTcpForwarding and PermitOpen in its sshd_config.' },
  E_SMTP: { status: 502, hint: 'The SMTP session failed; the transcript shows where.' },
  E_SMTP_REPLY: { status: 502, hint: 'The SMTP server answered something unexpected; the transcript shows it.' },
  E_SMTP_REJECTED: { status: 502, hint: 'The SMTP server refused the message; its reply says why.' },
  E_CACHE_READBACK: { status: 502, hint: 'The cache dropped a value it just accepted: is it full?' },
  E_STORAGE_READBACK: { status: 502, hint: 'The storage returned other bytes than it was given.' },
  E_ALIAS_CHANGED: { status: 503, hint: 'The alias was changed while this call ran; run it again.' },
  E_OUTBOX_UNAVAILABLE: { status: 503, hint: 'Start Backplane (app or "backplane serve"); the outbox opens with it.' },
  E_OUTBOX_CLOSED: { status: 503, hint: 'The outbox is shutting down; try again once Backplane has restarted.' },
  E_CAPTURE: { status: 503, hint: 'The SMTP capture server is not running; see Mail → Capture settings.' },
  E_TIMEOUT: { status: 504, hint: 'No answer in time: the server may be overloaded, or a firewall may drop packets.' },
  // Made by the GUI's client when no answer came from the main process
  E_DISCONNECTED: { status: 503, hint: 'The connection to Backplane was lost; it reconnects by itself.' },
  E_CLIENT: { status: 400, hint: 'The GUI could not make the call.' },
} as const satisfies Record<string, { status: number; hint: string }>

export type ErrorCode = keyof typeof ERROR_CATALOGUE

/** `ErrorCode.E_NOT_FOUND === 'E_NOT_FOUND'`: the codes as values, so a typo is a compile error. */
export const ErrorCode = Object.freeze(Object.fromEntries(Object.keys(ERROR_CATALOGUE).map((code) => [code, code]))) as { readonly [C in ErrorCode]: C }

export function isErrorCode(code: string): code is ErrorCode {
  return Object.hasOwn(ERROR_CATALOGUE, code)
}

/** The status of a code; an engine's own code (not in the catalogue) is a backend failure, 502. */
export function statusOfCode(code: string): number {
  return isErrorCode(code) ? ERROR_CATALOGUE[code].status : 502
}
