import type { BookLike } from './speak';
import { sayer } from './worded';

/**
 * What the client side says when a call fails before or without a server's refusal: the core
 * client reaching a configuration server (core/configserver, core/tls.ts), the vSphere and Hyper-V
 * connectors reaching their hosts, and the console host refusing a call itself (core/console).
 * Word books as refusal-words.ts: the English book makes the ApiError's message, which the CLI
 * prints; the Dutch one lets a Dutch console word the same error. An operating system's or a
 * library's text inside (ECONNREFUSED's message, a TLS alert) is a value, shown as sent.
 */
export const clientWordsEn = {
  // Reaching a host: what a Node error code means, and what to do about it
  'client.hint.ECONNREFUSED':
    'nothing listens at that address and port; check them, and that the server runs',
  'client.hint.ENOTFOUND': 'the host name does not resolve; check it or use an IP address',
  'client.hint.EAI_AGAIN': 'the host name could not be resolved right now; check DNS',
  'client.hint.ETIMEDOUT':
    'no answer in time; check that the host is up and that no firewall drops the traffic',
  'client.hint.EHOSTUNREACH':
    'the host is not reachable from this machine; check the address, network and firewall',
  'client.hint.ENETUNREACH':
    'the network of that address is not reachable from this machine; check the routing',
  'client.hint.ECONNRESET': 'the host closed the connection unexpectedly; try again',
  'client.hint.EPIPE': 'the host closed the connection unexpectedly; try again',
  'client.hint.certificate': "pin the server's certificate thumbprint, or give the CA that signed it",
  'client.cancelled': 'The call was cancelled.',
  // The core client and a configuration server
  'client.serverUrl': 'a configuration server URL starts with http:// or https:// (got {url})',
  'client.serverUnreachable': 'cannot reach the configuration server at {origin}: {error}',
  'client.serverUnreachableHint': 'cannot reach the configuration server at {origin}: {error}; {hint}',
  'client.serverUntrusted':
    'the server certificate is not trusted ({error}); pin its thumbprint or give its CA',
  'client.serverTimeout': '{method} {path} took longer than {ms} ms',
  'client.serverPinMismatch': 'the server presents certificate {presented}, not the pinned {pinned}',
  'client.serverCertificateChanged': 'the server certificate changed (now {presented})',
  'client.serverHttp': 'HTTP {status} from {host}: {body}',
  'client.serverAnswer': 'unexpected answer to {method} {path}: {issue}',
  'client.streamRefused': 'the server refused the event stream (HTTP {status})',
  // The TLS identity probe
  'client.notThumbprint':
    '"{input}" is not a SHA-256 certificate thumbprint: expected 64 hex digits, colons optional',
  'client.tlsTimeout': 'no TLS answer from {host} in {ms} ms',
  'client.hostUnreachable': 'cannot reach {host}: {error}',
  'client.hostUnreachableHint': 'cannot reach {host}: {error}; {hint}',
  'client.noCertificate': '{host} presented no TLS certificate',
  // vCenter and ESXi
  'client.vsphere.refused': '{host} refused the connection: is the vCenter/ESXi address and port right?',
  'client.vsphere.noName': 'the name in {url} does not resolve: check the host name or use an IP address',
  'client.vsphere.unreachable': '{host} is not reachable from this machine: check the network and firewall',
  'client.vsphere.reset': '{host} closed the connection unexpectedly; try again',
  'client.vsphere.timeout': '{host} did not answer in time: check that the host is up and reachable',
  'client.vsphere.untrusted':
    'the TLS certificate of {host} is not trusted ({code}): pin its SHA-256 thumbprint or give the CA bundle that signed it',
  'client.vsphere.other': 'cannot talk to {host}: {error}',
  'client.vsphere.changed':
    'the certificate of {host} changed: it presents {presented}, but {pinned} is pinned. Nothing was sent. Confirm the new identity only if you know why it changed.',
  'client.vsphere.noCertificateShown': 'no certificate',
  'client.vsphere.url': '{url}: a vCenter URL starts with https://',
  'client.vsphere.cutOff':
    'the response from {host} was cut off after {bytes} bytes (the connection closed early); retry, and check for a proxy or load balancer in between',
  'client.vsphere.gzip':
    'the gzip-compressed response from {host} is corrupt ({error}); retry, and check for a proxy rewriting the traffic',
  'client.vsphere.trust':
    'a vCenter/ESXi connection is trusted by its certificate\'s SHA-256 thumbprint, not by "{kind}"; test the connection again to see the thumbprint',
  'client.vsphere.noPassword':
    'no password for this vCenter connection: enter it (it is kept in the vault, never in the file)',
  // vSphere faults (core/vsphere/faults.ts): {name} is the fault's type, {more} vCenter's own text
  'client.vim.more': ': {server}',
  'client.vim.InvalidLogin': 'the user name or password was refused ({name}): check both and try again',
  'client.vim.NotAuthenticated': '{method}: the session is not logged in or has expired ({name})',
  'client.vim.NoPermission':
    '{method}: the user lacks a privilege for this ({name}){more}; ask the vCenter administrator for the role',
  'client.vim.ManagedObjectNotFound':
    '{method}: the object no longer exists in vCenter ({name}){more}; refresh the inventory',
  'client.vim.InvalidPowerState': '{method}: the VM is not in a power state that allows this ({name}){more}',
  'client.vim.InvalidState': '{method}: the object is in a state that does not allow this ({name}){more}',
  'client.vim.InvalidArgument': '{method}: vCenter rejected an argument ({name}){more}',
  'client.vim.FileNotFound': '{method}: a file was not found on the datastore ({name}){more}',
  'client.vim.FileAlreadyExists': '{method}: the file already exists ({name}){more}',
  'client.vim.FileFault': '{method}: a datastore file operation failed ({name}){more}',
  'client.vim.DuplicateName': '{method}: the name is already in use ({name}){more}',
  'client.vim.InvalidRequestIncomplete':
    '{method}: vCenter refused the request as incomplete ({name}): {server}. This is a Siteshift defect: report it with this message',
  'client.vim.InvalidRequest':
    '{method}: the server does not understand this request ({name}){more}; the vCenter/ESXi version may not support it',
  'client.vim.MethodNotFound':
    '{method}: the server has no such method ({name}){more}; the vCenter/ESXi version may not support it',
  'client.vim.NotSupported': '{method}: not supported by this server ({name}){more}',
  'client.vim.TaskInProgress':
    '{method}: another task is running on the object ({name}){more}; retry when it ends',
  'client.vim.InvalidDeviceSpec': '{method}: the device change is invalid ({name}){more}',
  'client.vim.ToolsUnavailable': '{method}: VMware Tools is not running in the guest ({name}){more}',
  'client.vim.RequestCanceled': '{method}: the task was cancelled ({name}){more}',
  'client.vim.InvalidCollectorVersion': '{method}: the update version is no longer valid ({name}){more}',
  'client.vim.failed': '{method} failed: {name}: {server}',
  'client.vim.failedFault': '{method} failed with the vSphere fault {name}',
  'client.watch.restart': 'live updates restart: {error}',
  'client.watch.interrupted': 'live updates interrupted, reconnecting: {error}',
  'client.vsphere.notVsphere': 'RetrieveServiceContent: the answer lacks {name}; is this a vSphere endpoint?',
  'client.vsphere.noUser': 'a vCenter user name is required',
  'client.vsphere.noPasswordGiven': 'a vCenter password is required',
  'client.vsphere.noCookie': 'Login succeeded but the server set no {cookie} cookie',
  // SOAP answers that are not what a vSphere endpoint sends; {body} is its start, as sent
  'client.soap.emptyBody': 'an empty body',
  'client.soap.notXml':
    '{method}: the response is not well-formed XML ({detail}); retry, and check for a proxy rewriting the traffic',
  'client.soap.http': '{method}: the server answered HTTP {status} with {body}',
  'client.soap.incomplete':
    '{method}: the response is not a complete SOAP envelope (truncated or not SOAP): {body}. Check the URL points at the /sdk endpoint and retry.',
  'client.soap.noBody': '{method}: the SOAP envelope has no Body: {body}',
  'client.soap.unexpected': '{method}: expected {method}Response in the SOAP body, got {got}',
  'client.soap.nothing': '{method}: expected {method}Response in the SOAP body, got nothing',
  // Hyper-V hosts over SSH
  'client.ssh.changed':
    "The SSH host key of {endpoint} has changed: expected {pinned}, the host presented {presented}. Nothing was sent. This happens after a reinstall of the host or its OpenSSH server, or when someone is intercepting the connection; confirm the new fingerprint with the host administrator before trusting it. If the pinned fingerprint is of another of the host's keys (ssh-keygen -lf names its type: ED25519, RSA, ECDSA), pin it with that type.",
  'client.ssh.changedKey':
    "The SSH host key of {endpoint} has changed: expected {pinned}, the host presented {presented} (its {algorithm} key). Nothing was sent. This happens after a reinstall of the host or its OpenSSH server, or when someone is intercepting the connection; confirm the new fingerprint with the host administrator before trusting it. If the pinned fingerprint is of another of the host's keys (ssh-keygen -lf names its type: ED25519, RSA, ECDSA), pin it with that type.",
  'client.ssh.login':
    '{endpoint} refused the credentials of user "{user}". Check the user name and the password or private key (Windows OpenSSH users are often written DOMAIN\\user or user@domain).',
  'client.ssh.handshake':
    '{endpoint} did not complete the SSH handshake in time. Check that OpenSSH Server is running on the host and that nothing filters port {port}.',
  'client.ssh.unreachable': 'Cannot reach {endpoint} over SSH: {error}.',
  'client.ssh.unreachableCode': 'Cannot reach {endpoint} over SSH: {error} ({code}).',
  'client.ssh.hint.ECONNREFUSED':
    'nothing listens on that port; is OpenSSH Server installed and running on the host?',
  'client.ssh.hint.ENOTFOUND': 'the host name does not resolve; check it',
  'client.ssh.hint.EAI_AGAIN': 'the host name could not be resolved right now; check DNS',
  'client.ssh.hint.ETIMEDOUT': 'the connection timed out; check the address and the firewall',
  'client.ssh.hint.EHOSTUNREACH': 'the host is unreachable; check the address and routing',
  'client.ssh.hint.ECONNRESET': 'the connection was reset by the host',
  'client.ssh.hostClosed': 'the host closed the connection',
  'client.ssh.noHostKey': '{endpoint} closed the connection before showing a host key.',
  'client.ssh.noSecret': 'No password or private key given for {endpoint}.',
  'client.ssh.badPin':
    'The pinned host key "{key}" is not an OpenSSH SHA256 fingerprint (SHA256: followed by 43 base64 characters); copy it from ssh-keygen -lf or from the first-use confirmation.',
  'client.ssh.badAlgorithm':
    '"{algorithm}" is not a type of SSH host key that Siteshift can pin; use ssh-ed25519, ssh-rsa or ecdsa-sha2-nistp256/384/521.',
  'client.ssh.closed': 'The session to {endpoint} is closed.',
  'client.ssh.gaveUp': {
    one: '{error} Gave up after {count} attempt.',
    other: '{error} Gave up after {count} attempts.',
  },
  'client.ssh.cannotReach': 'Cannot reach {endpoint}.',
  'client.ssh.cancelled.connecting': 'Connecting was cancelled.',
  'client.ssh.cancelled.hostKey': 'Reading the host key was cancelled.',
  'client.ssh.cancelled.command': 'The command was cancelled.',
  'client.ssh.cancelledOp': '{op} was cancelled.',
  'client.ssh.cancelledClosed': '{op} was cancelled: the session to {endpoint} was closed.',
  'client.ssh.wasClosed': 'The session to {endpoint} was closed.',
  'client.ssh.lost':
    'The SSH connection to {endpoint} was lost while {op} was running; it may or may not have taken effect on the host. Check the current state before repeating it.',
  'client.ssh.opTimeout':
    '{op} on {endpoint} did not finish within {seconds} s; it may still complete on the host. Check the state before repeating it.',
  'client.ssh.notAccepted': '{endpoint} did not accept {op}: {why}.',
  'client.ssh.noChannel': 'no command channel ({error})',
  'client.ssh.privateKey':
    'The private key for {endpoint} cannot be used: {error}. An encrypted key needs its passphrase.',
  'client.hyperv.notPinned':
    'No host key is pinned for {endpoint}; test the connection first and confirm the fingerprint it shows.',
  'client.hyperv.trustThumbprint':
    'A Hyper-V host is identified by its SSH host key (SHA256:…), not by a certificate thumbprint.',
  'client.hyperv.trustLoopback':
    'A Hyper-V host is identified by its SSH host key (SHA256:…), not by a loopback trust.',
  'client.hyperv.noSecret': 'Give a password or a private key for {user}@{host}.',
  // PowerShell on a Hyper-V host; the host's own message and output are values, as written
  'client.ps.failed': '{op} failed on {endpoint}: {error}',
  'client.ps.unreadable':
    '{op} on {endpoint} returned output Siteshift cannot read: {detail}. Check that the host runs Windows PowerShell 5.1 with the Hyper-V module.',
  'client.ps.notJson': 'not valid JSON ({error}); output began: {snippet}',
  'client.ps.tooLong':
    '{op}: the command would be {length} characters, more than the {max} a Windows command line allows; shorten the names or values passed to it.',
  'client.hyperv.unreadableObject':
    '{op} on {endpoint} returned an object Siteshift cannot read (item {item}, {path}: {issue}). Check that the host runs Windows PowerShell 5.1 with the Hyper-V module.',
  'client.hyperv.notOne': '{op} on {endpoint} returned {count} objects where one was expected.',
  'client.hyperv.noReplication': '{op} on {endpoint} did not report the replication it changed.',
  'client.hyperv.frequency':
    'Replication frequency {seconds} s is not one Hyper-V offers: use 30, 300 or 900.',
  'client.hyperv.history':
    'Recovery history {count} is out of range: Hyper-V keeps 0 to 24 additional recovery points.',
  'client.hyperv.vss': 'VSS snapshot frequency {hours} h is out of range: use 1 to 12 hours, or omit it.',
  'client.hyperv.vssHistory':
    'A VSS snapshot frequency ({hours} h) needs additional recovery points: Hyper-V takes app-consistent snapshots only when recovery history is 1 or more. Set recovery history, or omit the VSS frequency.',
  'client.hyperv.replicaIp':
    '"{name}" is an IP address; Hyper-V Replica needs the replica server\'s DNS name (its FQDN, as in its Kerberos principal or certificate), e.g. hv-replica.example.com.',
  'client.hyperv.replicaName': '"{name}" is not a valid replica server name; give its host name or FQDN.',
  'client.hyperv.vmId':
    '"{id}" is not a Hyper-V VM id (a GUID such as 3f2504e0-4f89-11d3-9a0c-0305e82c3301).',
  'client.hyperv.vmName': 'A VM name is empty; give the name or the id of the VM.',
  'client.hyperv.needThumbprint':
    'Certificate authentication needs the thumbprint of the certificate (40 hex digits, SHA-1).',
  'client.hyperv.port': 'Replica server port {port} is not a TCP port (1–65535).',
  'client.hyperv.badThumbprint': '"{thumbprint}" is not a certificate thumbprint (40 hex digits, SHA-1).',
  'client.hyperv.reverseThumbprint':
    "Reversing certificate-authenticated replication of {vm} needs the thumbprint of {endpoint}'s own certificate (the host that becomes the primary); give certificateThumbprint, or reverse with Kerberos.",
  // What a connection test found answering
  'client.product.configserver': 'Siteshift configuration server {version} ({role} token "{token}")',
  'client.product.hyperv': 'Hyper-V on {os} ({host})',
  'client.product.hypervWindows': 'Hyper-V on Windows ({host})',
  'client.product.lab': 'Siteshift lab (simulated)',
  // The console host's own refusals
  'client.unknownCall': 'There is no call named {name}.',
  // The call's name and the schema's findings (zod's words) are values, as sent.
  'client.callInput': '{call}: {issues}',
  'client.callOutput': '{call} produced a result outside the contract: {issues}',
  // The input guard in front of every schema (shared/input-guard.ts); the path in the input is a value
  'client.input.tooMany': '{where} has more than {max} values; send less per call',
  'client.input.control': '{path} contains a control character (such as NUL or ESC); remove it',
  'client.input.deep': '{path} is nested deeper than {max} levels',
  'client.input.protoKey': '{path}: the key "{key}" is not accepted anywhere',
  'client.input.controlKey': '{path} has a key with a control character; remove it',
  'client.noConnection': 'There is no connection with id {id}.',
  'client.confirmIdentity': 'Confirm the endpoint identity before saving the connection.',
  'client.identityChanged':
    'The endpoint presents a different identity than the one you confirmed ({pinned}); check with its administrator before trusting it.',
  'client.labNotRemovable': 'Lab connections belong to the embedded lab and cannot be removed.',
  'client.notAvailable': 'Connection {name} is not available.',
  'client.noJob': "no connected configuration server has a job with id '{id}'; it may have been removed",
  'client.noServerConnection': "no configuration server connection with id '{id}'",
  'client.noConnector': 'This console cannot connect to {kind} endpoints.',
  'client.noTrust': 'No trusted identity is saved for this connection.',
  'client.connectionExists': 'A connection named "{name}" already exists; choose another name.',
  'client.plainHttp':
    'Plain http is only accepted for a configuration server on this machine; use https://{host} instead.',
  'client.tokenNeeded': 'An API token is needed: create one with `siteshift token create --role operator`.',
  'client.tokenRefused': 'The configuration server refused the token: check it, or create a new one.',
  'client.notConnected': 'configuration server {name} is not connected',
  'client.noTokenStored': 'No token is stored for {name}.',
  'client.streamLost': 'Lost the event stream of {name}; reconnecting.',
  'client.streamLostBecause': 'Lost the event stream of {name}: {error}; reconnecting.',
  'client.signingKeyUnreadable':
    'Cannot read the export signing key {path} ({error}); fix the path under Settings → Exports, or clear it to export unsigned.',
  'client.exportUnreadable': 'Cannot read {path}: {error}',
  // An endpoint a configuration server could not read for an export: the server's name, then why
  'client.export.serverRead': '{server}: {error}',
  'client.signingKeyNamed': 'The export signing key {path}',
  'client.signingKeyNotPem':
    '{what} is not a PEM private key ({error}); create one with: openssl genpkey -algorithm ed25519 -out export-signing.pem',
  'client.signingKeyType':
    // "a key of type …": an article before the type would be wrong for half of them (an rsa, an ec).
    '{what} holds a key of type {type}; exports are signed with Ed25519 (openssl genpkey -algorithm ed25519)',
  'client.signingKeyOpen':
    'Other users of this computer can read {path} (mode {mode}): run chmod 600 on it, or anyone with an account here can sign exports as you.',
  // This console's own files
  'client.connectionFile': '{path} is not a Siteshift connection file; move it away to start afresh',
  'client.settingsFile':
    '{path} is not a Siteshift settings file; move it away and Siteshift starts with default settings',
  'client.vaultKeyDamaged': 'vault key {path} is damaged (expected 32 bytes)',
  'client.vaultKeyGone': 'the key file {path} that sealed this secret is gone; enter the secret again',
  'client.vaultForgotten':
    'this secret was kept in memory only (no OS keychain) and was forgotten when Siteshift restarted; remove the connection and add it again, or choose the key-file fallback in Settings',
  'client.vaultNoKeychain': 'the OS keychain is not available',
  'client.vaultFormat': 'stored secret has an unknown format',
} as const;

export type ClientWordKey = keyof typeof clientWordsEn;
export type ClientWords = BookLike<typeof clientWordsEn>;

export const clientWordsNl: ClientWords = {
  'client.hint.ECONNREFUSED':
    'op dat adres en die poort luistert niets; controleer ze, en of de server draait',
  'client.hint.ENOTFOUND': 'de hostnaam is niet te herleiden; controleer hem of gebruik een IP-adres',
  'client.hint.EAI_AGAIN': 'de hostnaam kon nu niet worden opgezocht; controleer de DNS',
  'client.hint.ETIMEDOUT':
    'geen antwoord op tijd; controleer of de host aan staat en of geen firewall het verkeer tegenhoudt',
  'client.hint.EHOSTUNREACH':
    'de host is vanaf deze machine niet bereikbaar; controleer het adres, het netwerk en de firewall',
  'client.hint.ENETUNREACH':
    'het netwerk van dat adres is vanaf deze machine niet bereikbaar; controleer de routering',
  'client.hint.ECONNRESET': 'de host verbrak de verbinding onverwacht; probeer het opnieuw',
  'client.hint.EPIPE': 'de host verbrak de verbinding onverwacht; probeer het opnieuw',
  'client.hint.certificate':
    'pin de vingerafdruk van het servercertificaat, of geef de CA die het ondertekende',
  'client.cancelled': 'De aanroep is geannuleerd.',
  'client.serverUrl': 'de URL van een configuratieserver begint met http:// of https:// (opgegeven: {url})',
  'client.serverUnreachable': 'kan de configuratieserver op {origin} niet bereiken: {error}',
  'client.serverUnreachableHint': 'kan de configuratieserver op {origin} niet bereiken: {error}; {hint}',
  'client.serverUntrusted':
    'het servercertificaat wordt niet vertrouwd ({error}); pin de vingerafdruk of geef de CA ervan',
  'client.serverTimeout': '{method} {path} duurde langer dan {ms} ms',
  'client.serverPinMismatch': 'de server toont certificaat {presented}, niet het vastgepinde {pinned}',
  'client.serverCertificateChanged': 'het servercertificaat is gewijzigd (nu {presented})',
  'client.serverHttp': 'HTTP {status} van {host}: {body}',
  'client.serverAnswer': 'onverwacht antwoord op {method} {path}: {issue}',
  'client.streamRefused': 'de server weigerde de gebeurtenisstroom (HTTP {status})',
  'client.notThumbprint':
    '"{input}" is geen SHA-256-vingerafdruk van een certificaat: verwacht: 64 hexadecimale tekens, met of zonder dubbele punten',
  'client.tlsTimeout': 'geen TLS-antwoord van {host} binnen {ms} ms',
  'client.hostUnreachable': 'kan {host} niet bereiken: {error}',
  'client.hostUnreachableHint': 'kan {host} niet bereiken: {error}; {hint}',
  'client.noCertificate': '{host} toonde geen TLS-certificaat',
  'client.vsphere.refused':
    '{host} weigerde de verbinding: kloppen het adres en de poort van de vCenter/ESXi?',
  'client.vsphere.noName':
    'de naam in {url} is niet te herleiden: controleer de hostnaam of gebruik een IP-adres',
  'client.vsphere.unreachable':
    '{host} is vanaf deze machine niet bereikbaar: controleer het netwerk en de firewall',
  'client.vsphere.reset': '{host} verbrak de verbinding onverwacht; probeer het opnieuw',
  'client.vsphere.timeout':
    '{host} antwoordde niet op tijd: controleer of de host aan staat en bereikbaar is',
  'client.vsphere.untrusted':
    'het TLS-certificaat van {host} wordt niet vertrouwd ({code}): pin de SHA-256-vingerafdruk of geef de CA-bundel die het ondertekende',
  'client.vsphere.other': 'kan niet met {host} communiceren: {error}',
  'client.vsphere.changed':
    'het certificaat van {host} is gewijzigd: het toont {presented}, maar {pinned} is vastgepind. Er is niets verzonden. Bevestig de nieuwe identiteit alleen als u weet waarom die veranderde.',
  'client.vsphere.noCertificateShown': 'geen certificaat',
  'client.vsphere.url': '{url}: een vCenter-URL begint met https://',
  'client.vsphere.cutOff':
    'het antwoord van {host} brak af na {bytes} bytes (de verbinding werd te vroeg gesloten); probeer het opnieuw, en kijk of er een proxy of load balancer tussen zit',
  'client.vsphere.gzip':
    'het gzip-gecomprimeerde antwoord van {host} is beschadigd ({error}); probeer het opnieuw, en kijk of een proxy het verkeer herschrijft',
  'client.vsphere.trust':
    'een vCenter/ESXi-verbinding wordt vertrouwd op de SHA-256-vingerafdruk van haar certificaat, niet op "{kind}"; test de verbinding opnieuw om de vingerafdruk te zien',
  'client.vsphere.noPassword':
    'geen wachtwoord voor deze vCenter-verbinding: vul het in (het wordt in de kluis bewaard, nooit in het bestand)',
  'client.vim.more': ': {server}',
  'client.vim.InvalidLogin':
    'de gebruikersnaam of het wachtwoord werd geweigerd ({name}): controleer beide en probeer het opnieuw',
  'client.vim.NotAuthenticated': '{method}: de sessie is niet aangemeld of verlopen ({name})',
  'client.vim.NoPermission':
    '{method}: de gebruiker mist hiervoor een bevoegdheid ({name}){more}; vraag de vCenter-beheerder om de rol',
  'client.vim.ManagedObjectNotFound':
    '{method}: het object bestaat niet meer in vCenter ({name}){more}; vernieuw de inventaris',
  'client.vim.InvalidPowerState':
    '{method}: de VM staat niet in een energiestatus die dit toelaat ({name}){more}',
  'client.vim.InvalidState': '{method}: het object is in een toestand die dit niet toelaat ({name}){more}',
  'client.vim.InvalidArgument': '{method}: vCenter weigerde een argument ({name}){more}',
  'client.vim.FileNotFound': '{method}: een bestand werd niet gevonden op de datastore ({name}){more}',
  'client.vim.FileAlreadyExists': '{method}: het bestand bestaat al ({name}){more}',
  'client.vim.FileFault': '{method}: een bestandsbewerking op de datastore mislukte ({name}){more}',
  'client.vim.DuplicateName': '{method}: de naam is al in gebruik ({name}){more}',
  'client.vim.InvalidRequestIncomplete':
    '{method}: vCenter weigerde het verzoek als onvolledig ({name}): {server}. Dit is een fout in Siteshift: meld die met deze melding',
  'client.vim.InvalidRequest':
    '{method}: de server begrijpt dit verzoek niet ({name}){more}; de versie van vCenter/ESXi ondersteunt het mogelijk niet',
  'client.vim.MethodNotFound':
    '{method}: de server kent deze methode niet ({name}){more}; de versie van vCenter/ESXi ondersteunt haar mogelijk niet',
  'client.vim.NotSupported': '{method}: niet ondersteund door deze server ({name}){more}',
  'client.vim.TaskInProgress':
    '{method}: er loopt al een andere taak op het object ({name}){more}; probeer het opnieuw als die klaar is',
  'client.vim.InvalidDeviceSpec': '{method}: de apparaatwijziging is ongeldig ({name}){more}',
  'client.vim.ToolsUnavailable': '{method}: VMware Tools draait niet in de guest ({name}){more}',
  'client.vim.RequestCanceled': '{method}: de taak is geannuleerd ({name}){more}',
  'client.vim.InvalidCollectorVersion': '{method}: de updateversie is niet meer geldig ({name}){more}',
  'client.vim.failed': '{method} mislukte: {name}: {server}',
  'client.vim.failedFault': '{method} mislukte met de vSphere-fout {name}',
  'client.watch.restart': 'live-updates beginnen opnieuw: {error}',
  'client.watch.interrupted': 'live-updates onderbroken, er wordt opnieuw verbonden: {error}',
  'client.vsphere.notVsphere':
    'RetrieveServiceContent: in het antwoord ontbreekt {name}; is dit wel een vSphere-endpoint?',
  'client.vsphere.noUser': 'een vCenter-gebruikersnaam is verplicht',
  'client.vsphere.noPasswordGiven': 'een vCenter-wachtwoord is verplicht',
  'client.vsphere.noCookie': 'Aanmelden gelukt, maar de server zette geen {cookie}-cookie',
  'client.soap.emptyBody': 'een lege inhoud',
  'client.soap.notXml':
    '{method}: het antwoord is geen goedgevormde XML ({detail}); probeer het opnieuw, en kijk of een proxy het verkeer herschrijft',
  'client.soap.http': '{method}: de server antwoordde HTTP {status} met {body}',
  'client.soap.incomplete':
    '{method}: het antwoord is geen volledige SOAP-envelop (afgebroken of geen SOAP): {body}. Controleer of de URL naar het /sdk-endpoint wijst en probeer het opnieuw.',
  'client.soap.noBody': '{method}: de SOAP-envelop heeft geen Body: {body}',
  'client.soap.unexpected': '{method}: {method}Response verwacht in de SOAP-body, maar kreeg {got}',
  'client.soap.nothing': '{method}: {method}Response verwacht in de SOAP-body, maar kreeg niets',
  'client.ssh.changed':
    'De SSH-hostsleutel van {endpoint} is gewijzigd: verwacht was {pinned}, de host toonde {presented}. Er is niets verzonden. Dit gebeurt na een herinstallatie van de host of van zijn OpenSSH-server, of wanneer iemand de verbinding onderschept; bevestig de nieuwe vingerafdruk met de beheerder van de host voordat u die vertrouwt. Is de vastgepinde vingerafdruk die van een andere sleutel van de host (ssh-keygen -lf noemt het type: ED25519, RSA, ECDSA), pin hem dan met dat type.',
  'client.ssh.changedKey':
    'De SSH-hostsleutel van {endpoint} is gewijzigd: verwacht was {pinned}, de host toonde {presented} (zijn {algorithm}-sleutel). Er is niets verzonden. Dit gebeurt na een herinstallatie van de host of van zijn OpenSSH-server, of wanneer iemand de verbinding onderschept; bevestig de nieuwe vingerafdruk met de beheerder van de host voordat u die vertrouwt. Is de vastgepinde vingerafdruk die van een andere sleutel van de host (ssh-keygen -lf noemt het type: ED25519, RSA, ECDSA), pin hem dan met dat type.',
  'client.ssh.login':
    '{endpoint} weigerde de aanmeldgegevens van gebruiker "{user}". Controleer de gebruikersnaam en het wachtwoord of de privésleutel (Windows-OpenSSH-gebruikers worden vaak geschreven als DOMEIN\\gebruiker of gebruiker@domein).',
  'client.ssh.handshake':
    '{endpoint} voltooide de SSH-handshake niet op tijd. Controleer of OpenSSH Server op de host draait en of niets poort {port} filtert.',
  'client.ssh.unreachable': 'Kan {endpoint} niet via SSH bereiken: {error}.',
  'client.ssh.unreachableCode': 'Kan {endpoint} niet via SSH bereiken: {error} ({code}).',
  'client.ssh.hint.ECONNREFUSED':
    'op die poort luistert niets; is OpenSSH Server op de host geïnstalleerd en gestart?',
  'client.ssh.hint.ENOTFOUND': 'de hostnaam is niet te herleiden; controleer hem',
  'client.ssh.hint.EAI_AGAIN': 'de hostnaam kon nu niet worden opgezocht; controleer de DNS',
  'client.ssh.hint.ETIMEDOUT': 'de verbinding verliep; controleer het adres en de firewall',
  'client.ssh.hint.EHOSTUNREACH': 'de host is onbereikbaar; controleer het adres en de routering',
  'client.ssh.hint.ECONNRESET': 'de host verbrak de verbinding',
  'client.ssh.hostClosed': 'de host sloot de verbinding',
  'client.ssh.noHostKey': '{endpoint} sloot de verbinding voordat hij een hostsleutel toonde.',
  'client.ssh.noSecret': 'Geen wachtwoord of privésleutel opgegeven voor {endpoint}.',
  'client.ssh.badPin':
    'De vastgepinde hostsleutel "{key}" is geen OpenSSH-SHA256-vingerafdruk (SHA256: gevolgd door 43 base64-tekens); kopieer hem uit ssh-keygen -lf of uit de bevestiging bij het eerste gebruik.',
  'client.ssh.badAlgorithm':
    '"{algorithm}" is geen type SSH-hostsleutel dat Siteshift kan pinnen; gebruik ssh-ed25519, ssh-rsa of ecdsa-sha2-nistp256/384/521.',
  'client.ssh.closed': 'De sessie met {endpoint} is gesloten.',
  'client.ssh.gaveUp': {
    one: '{error} Gestopt na {count} poging.',
    other: '{error} Gestopt na {count} pogingen.',
  },
  'client.ssh.cannotReach': 'Kan {endpoint} niet bereiken.',
  'client.ssh.cancelled.connecting': 'Het verbinden is geannuleerd.',
  'client.ssh.cancelled.hostKey': 'Het lezen van de hostsleutel is geannuleerd.',
  'client.ssh.cancelled.command': 'De opdracht is geannuleerd.',
  'client.ssh.cancelledOp': '{op} is geannuleerd.',
  'client.ssh.cancelledClosed': '{op} is geannuleerd: de sessie met {endpoint} werd gesloten.',
  'client.ssh.wasClosed': 'De sessie met {endpoint} werd gesloten.',
  'client.ssh.lost':
    'De SSH-verbinding met {endpoint} viel weg terwijl {op} liep; het is op de host mogelijk wel of niet uitgevoerd. Controleer de huidige toestand voordat u het herhaalt.',
  'client.ssh.opTimeout':
    '{op} op {endpoint} was niet binnen {seconds} s klaar; het kan op de host nog voltooid worden. Controleer de toestand voordat u het herhaalt.',
  'client.ssh.notAccepted': '{endpoint} nam {op} niet aan: {why}.',
  'client.ssh.noChannel': 'geen opdrachtkanaal ({error})',
  'client.ssh.privateKey':
    'De privésleutel voor {endpoint} is niet te gebruiken: {error}. Een versleutelde sleutel heeft zijn wachtwoordzin nodig.',
  'client.hyperv.notPinned':
    'Voor {endpoint} is geen hostsleutel vastgepind; test eerst de verbinding en bevestig de vingerafdruk die ze toont.',
  'client.hyperv.trustThumbprint':
    'Een Hyper-V-host wordt herkend aan zijn SSH-hostsleutel (SHA256:…), niet aan de vingerafdruk van een certificaat.',
  'client.hyperv.trustLoopback':
    'Een Hyper-V-host wordt herkend aan zijn SSH-hostsleutel (SHA256:…), niet aan vertrouwen op deze machine (loopback).',
  'client.hyperv.noSecret': 'Geef een wachtwoord of een privésleutel voor {user}@{host}.',
  'client.ps.failed': '{op} mislukte op {endpoint}: {error}',
  'client.ps.unreadable':
    '{op} op {endpoint} gaf uitvoer die Siteshift niet kan lezen: {detail}. Controleer of de host Windows PowerShell 5.1 met de Hyper-V-module draait.',
  'client.ps.notJson': 'geen geldige JSON ({error}); de uitvoer begon met: {snippet}',
  'client.ps.tooLong':
    '{op}: de opdracht zou {length} tekens lang worden, meer dan de {max} die een Windows-opdrachtregel toelaat; kort de namen of waarden in die eraan worden meegegeven.',
  'client.hyperv.unreadableObject':
    '{op} op {endpoint} gaf een object dat Siteshift niet kan lezen (item {item}, {path}: {issue}). Controleer of de host Windows PowerShell 5.1 met de Hyper-V-module draait.',
  'client.hyperv.notOne': '{op} op {endpoint} gaf {count} objecten waar er één werd verwacht.',
  'client.hyperv.noReplication': '{op} op {endpoint} meldde niet welke replicatie het wijzigde.',
  'client.hyperv.frequency':
    'Replicatiefrequentie {seconds} s biedt Hyper-V niet aan: gebruik 30, 300 of 900.',
  'client.hyperv.history':
    'Herstelgeschiedenis {count} valt buiten het bereik: Hyper-V bewaart 0 tot 24 extra herstelpunten.',
  'client.hyperv.vss':
    'VSS-snapshotfrequentie {hours} u valt buiten het bereik: gebruik 1 tot 12 uur, of laat haar weg.',
  'client.hyperv.vssHistory':
    'Een VSS-snapshotfrequentie ({hours} u) vraagt om extra herstelpunten: Hyper-V maakt alleen app-consistente snapshots als de herstelgeschiedenis 1 of meer is. Stel een herstelgeschiedenis in, of laat de VSS-frequentie weg.',
  'client.hyperv.replicaIp':
    '"{name}" is een IP-adres; Hyper-V Replica heeft de DNS-naam van de replicaserver nodig (zijn FQDN, zoals in zijn Kerberos-principal of certificaat), bijv. hv-replica.example.com.',
  'client.hyperv.replicaName':
    '"{name}" is geen geldige naam van een replicaserver; geef zijn hostnaam of FQDN.',
  'client.hyperv.vmId': '"{id}" is geen Hyper-V-VM-id (een GUID zoals 3f2504e0-4f89-11d3-9a0c-0305e82c3301).',
  'client.hyperv.vmName': 'Een VM-naam is leeg; geef de naam of het id van de VM.',
  'client.hyperv.needThumbprint':
    'Certificaatverificatie heeft de vingerafdruk van het certificaat nodig (40 hexadecimale tekens, SHA-1).',
  'client.hyperv.port': 'Replicaserverpoort {port} is geen TCP-poort (1–65535).',
  'client.hyperv.badThumbprint':
    '"{thumbprint}" is geen vingerafdruk van een certificaat (40 hexadecimale tekens, SHA-1).',
  'client.hyperv.reverseThumbprint':
    'Het omkeren van met certificaten geverifieerde replicatie van {vm} vraagt de vingerafdruk van het eigen certificaat van {endpoint} (de host die primair wordt); geef certificateThumbprint, of keer om met Kerberos.',
  'client.product.configserver': 'Siteshift-configuratieserver {version} ({role}-token "{token}")',
  'client.product.hyperv': 'Hyper-V op {os} ({host})',
  'client.product.hypervWindows': 'Hyper-V op Windows ({host})',
  'client.product.lab': 'Siteshift-lab (gesimuleerd)',
  'client.unknownCall': 'Er is geen aanroep met de naam {name}.',
  'client.callInput': '{call}: {issues}',
  'client.callOutput': '{call} gaf een resultaat buiten het contract: {issues}',
  'client.input.tooMany': '{where} heeft meer dan {max} waarden; stuur minder per aanroep',
  'client.input.control': '{path} bevat een stuurteken (zoals NUL of ESC); verwijder het',
  'client.input.deep': '{path} is dieper genest dan {max} niveaus',
  'client.input.protoKey': '{path}: de sleutel "{key}" wordt nergens aangenomen',
  'client.input.controlKey': '{path} heeft een sleutel met een stuurteken; verwijder het',
  'client.noConnection': 'Er is geen verbinding met id {id}.',
  'client.confirmIdentity': 'Bevestig de identiteit van het endpoint voordat u de verbinding opslaat.',
  'client.identityChanged':
    'Het endpoint toont een andere identiteit dan die u bevestigde ({pinned}); overleg met de beheerder ervan voordat u het vertrouwt.',
  'client.labNotRemovable': 'Labverbindingen horen bij het ingebouwde lab en kunnen niet worden verwijderd.',
  'client.notAvailable': 'Verbinding {name} is niet beschikbaar.',
  'client.noJob':
    "geen verbonden configuratieserver heeft een taak met id '{id}'; misschien is die verwijderd",
  'client.noServerConnection': "geen configuratieserververbinding met id '{id}'",
  'client.noConnector': 'Deze console kan geen verbinding maken met {kind}-endpoints.',
  'client.noTrust': 'Voor deze verbinding is geen vertrouwde identiteit opgeslagen.',
  'client.connectionExists': 'Er bestaat al een verbinding met de naam "{name}"; kies een andere naam.',
  'client.plainHttp':
    'Gewone http wordt alleen aangenomen voor een configuratieserver op deze machine; gebruik in plaats daarvan https://{host}.',
  'client.tokenNeeded':
    'Er is een API-token nodig: maak er een met `siteshift token create --role operator`.',
  'client.tokenRefused': 'De configuratieserver weigerde het token: controleer het, of maak een nieuw.',
  'client.notConnected': 'configuratieserver {name} is niet verbonden',
  'client.noTokenStored': 'Er is geen token opgeslagen voor {name}.',
  'client.streamLost': 'De gebeurtenisstroom van {name} is verbroken; er wordt opnieuw verbonden.',
  'client.streamLostBecause':
    'De gebeurtenisstroom van {name} is verbroken: {error}; er wordt opnieuw verbonden.',
  'client.signingKeyUnreadable':
    'Kan de ondertekeningssleutel voor exports {path} niet lezen ({error}); corrigeer het pad onder Instellingen → Exports, of maak het leeg om zonder handtekening te exporteren.',
  'client.exportUnreadable': 'Kan {path} niet lezen: {error}',
  'client.export.serverRead': '{server}: {error}',
  'client.signingKeyNamed': 'De ondertekeningssleutel voor exports {path}',
  'client.signingKeyNotPem':
    '{what} is geen PEM-privésleutel ({error}); maak er een met: openssl genpkey -algorithm ed25519 -out export-signing.pem',
  'client.signingKeyType':
    '{what} bevat een sleutel van het type {type}; exports worden ondertekend met Ed25519 (openssl genpkey -algorithm ed25519)',
  'client.signingKeyOpen':
    'Andere gebruikers van deze computer kunnen {path} lezen (modus {mode}): voer er chmod 600 op uit, anders kan iedereen met een account hier exports namens u ondertekenen.',
  'client.connectionFile':
    '{path} is geen verbindingenbestand van Siteshift; zet het opzij om opnieuw te beginnen',
  'client.settingsFile':
    '{path} is geen instellingenbestand van Siteshift; zet het opzij, dan start Siteshift met de standaardinstellingen',
  'client.vaultKeyDamaged': 'kluissleutel {path} is beschadigd (verwacht: 32 bytes)',
  'client.vaultKeyGone':
    'het sleutelbestand {path} waarmee dit geheim is versleuteld, is weg; voer het geheim opnieuw in',
  'client.vaultForgotten':
    'dit geheim werd alleen in het geheugen bewaard (geen sleutelhanger van het besturingssysteem) en is vergeten toen Siteshift opnieuw startte; verwijder de verbinding en voeg haar opnieuw toe, of kies in Instellingen het sleutelbestand als alternatief',
  'client.vaultNoKeychain': 'de sleutelhanger van het besturingssysteem is niet beschikbaar',
  'client.vaultFormat': 'het opgeslagen geheim heeft een onbekende vorm',
};

/** A client-side error in English with its key and values (the ApiError's message and messageWords). */
export const sayClient = sayer(clientWordsEn);

/**
 * The worded hint for a Node network or TLS error code (ECONNREFUSED, ETIMEDOUT, ENOTFOUND,
 * CERT_…), or null for a code nobody wrote one for: the caller then shows the library's text alone.
 */
export function networkHint(code: string | undefined) {
  if (!code) return null;
  if (/CERT|SIGNATURE|ISSUER|^ERR_TLS|^ERR_SSL/.test(code)) return sayClient('client.hint.certificate');
  const key = `client.hint.${code}`;
  return key in clientWordsEn ? sayClient(key as ClientWordKey) : null;
}
