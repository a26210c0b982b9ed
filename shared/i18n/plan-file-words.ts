/**
 * What the plan file's own validation says (shared/configserver/plan.ts): its schema's messages,
 * the rules over the plan alone, and zod's own issues (a missing field, a wrong type, an unknown
 * key, a number out of range) as word books (shared/i18n/worded.ts). The English of zod's issues
 * is zod's, word for word, so the CLI and the API say what they said before; names are values.
 */
export const planFileWordsEn = {
  // Messages the schema gives its fields
  'planfile.schema.name': 'a plan name cannot contain / \\ ? # or %',
  'planfile.schema.folder': 'a folder is a path that starts with /, e.g. /Recovered',
  'planfile.schema.placementNone': 'give the cluster or the host the recovered VMs run on',
  'planfile.schema.placementBoth': 'give cluster or host, not both',
  'planfile.schema.ipv4': 'an IPv4 address, e.g. 10.20.0.1',
  'planfile.schema.cidr': 'an IPv4 address with its prefix length, e.g. 10.20.0.11/24',
  'planfile.schema.domain': 'a DNS domain such as dr.example.com',
  'planfile.schema.workgroup': 'a workgroup name of 1-15 letters, digits, - or _',
  'planfile.schema.stepNone': 'a step needs a message or a script',
  'planfile.schema.stepBoth': 'a step is a message or a script, not both: write two steps',
  'planfile.reip.gateway': '{gateway} is not inside {address}; the gateway must be on the new subnet',

  // Rules over the plan alone
  'planfile.vm.twice': '{vm} is already machines[{index}]',
  'planfile.vm.recoveredTwice':
    'machines[{index}] is also recovered as {name}; give one of them another recoveredName',
  'planfile.dep.self': '{vm} cannot depend on itself',
  'planfile.dep.outside': '{vm} is not in this plan',
  'planfile.dep.later':
    "{dep} is in boot group {depGroup}, after {vm}'s group {group}; a dependency must boot in the same or an earlier group",
  'planfile.dep.cycle': 'dependency cycle: {cycle}',
  'planfile.step.noMachines': 'boot group {group} has no machine: the plan has no machines yet',
  'planfile.step.noGroup': 'boot group {group} has no machine (groups: {groups})',

  // zod's issues, in zod's English
  'planfile.zod.type': 'Invalid input: expected {expected}, received {received}',
  'planfile.zod.missing': 'Invalid input: expected {expected}, received undefined',
  'planfile.zod.min': 'Too small: expected number to be >={minimum}',
  'planfile.zod.max': 'Too big: expected number to be <={maximum}',
  'planfile.zod.empty': 'Too small: expected string to have >=1 characters',
  'planfile.zod.minLength': 'Too small: expected string to have >={minimum} characters',
  'planfile.zod.maxLength': 'Too big: expected string to have <={maximum} characters',
  'planfile.zod.minItems': 'Too small: expected array to have >={minimum} items',
  'planfile.zod.maxItems': 'Too big: expected array to have <={maximum} items',
  'planfile.zod.unknownKey': 'Unrecognized key: {keys}',
  'planfile.zod.unknownKeys': 'Unrecognized keys: {keys}',
  'planfile.zod.value': 'Invalid input: expected {value}',
  'planfile.zod.oneOf': 'Invalid option: expected one of {values}',
  'planfile.zod.invalid': 'Invalid input',
  // The kinds of value zod names in an issue
  'planfile.type.string': 'string',
  'planfile.type.number': 'number',
  'planfile.type.int': 'int',
  'planfile.type.boolean': 'boolean',
  'planfile.type.array': 'array',
  'planfile.type.object': 'object',
  'planfile.type.null': 'null',
} as const;

export type PlanFileWordKey = keyof typeof planFileWordsEn;

export const planFileWordsNl: Readonly<Record<PlanFileWordKey, string>> = {
  'planfile.schema.name': 'een plannaam kan geen / \\ ? # of % bevatten',
  'planfile.schema.folder': 'een map is een pad dat met / begint, bijv. /Recovered',
  'planfile.schema.placementNone': 'geef het cluster of de host waarop de herstelde VM’s draaien',
  'planfile.schema.placementBoth': 'geef een cluster of een host, niet allebei',
  'planfile.schema.ipv4': 'een IPv4-adres, bijv. 10.20.0.1',
  'planfile.schema.cidr': 'een IPv4-adres met zijn prefixlengte, bijv. 10.20.0.11/24',
  'planfile.schema.domain': 'een DNS-domein zoals dr.example.com',
  'planfile.schema.workgroup': 'een werkgroepnaam van 1-15 letters, cijfers, - of _',
  'planfile.schema.stepNone': 'een stap heeft een bericht of een script nodig',
  'planfile.schema.stepBoth': 'een stap is een bericht of een script, niet allebei: schrijf twee stappen',
  'planfile.reip.gateway':
    '{gateway} ligt niet binnen {address}; de gateway moet in het nieuwe subnet liggen',

  'planfile.vm.twice': '{vm} is al machines[{index}]',
  'planfile.vm.recoveredTwice':
    'machines[{index}] wordt ook hersteld als {name}; geef een van beide een andere recoveredName',
  'planfile.dep.self': '{vm} kan niet van zichzelf afhangen',
  'planfile.dep.outside': '{vm} zit niet in dit plan',
  'planfile.dep.later':
    '{dep} zit in opstartgroep {depGroup}, na groep {group} van {vm}; een afhankelijkheid moet in dezelfde of een eerdere groep starten',
  'planfile.dep.cycle': 'kringafhankelijkheid: {cycle}',
  'planfile.step.noMachines': 'opstartgroep {group} heeft geen machine: het plan heeft nog geen machines',
  'planfile.step.noGroup': 'opstartgroep {group} heeft geen machine (groepen: {groups})',

  'planfile.zod.type': 'ongeldige waarde: verwacht {expected}, gekregen {received}',
  'planfile.zod.missing': 'ontbreekt: vul hier {expected} in',
  'planfile.zod.min': 'te klein: minstens {minimum}',
  'planfile.zod.max': 'te groot: hoogstens {maximum}',
  'planfile.zod.empty': 'mag niet leeg zijn',
  'planfile.zod.minLength': 'te kort: minstens {minimum} tekens',
  'planfile.zod.maxLength': 'te lang: hoogstens {maximum} tekens',
  'planfile.zod.minItems': 'te weinig: minstens {minimum} items',
  'planfile.zod.maxItems': 'te veel: hoogstens {maximum} items',
  'planfile.zod.unknownKey': 'onbekend veld: {keys}; controleer de spelling',
  'planfile.zod.unknownKeys': 'onbekende velden: {keys}; controleer de spelling',
  'planfile.zod.value': 'ongeldige waarde: verwacht {value}',
  'planfile.zod.oneOf': 'ongeldige keuze: verwacht een van {values}',
  'planfile.zod.invalid': 'ongeldige waarde',
  'planfile.type.string': 'een tekst',
  'planfile.type.number': 'een getal',
  'planfile.type.int': 'een geheel getal',
  'planfile.type.boolean': 'ja of nee (true/false)',
  'planfile.type.array': 'een lijst',
  'planfile.type.object': 'een object',
  'planfile.type.null': 'niets (null)',
};
