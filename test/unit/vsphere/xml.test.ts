import { describe, expect, it } from 'vitest';
import { normalizeThumbprint } from '../../../core/tls';
import { InvalidPowerState, isFault, NotAuthenticated, VimFault } from '../../../core/vsphere/faults';
import { parseSoapResponse } from '../../../core/vsphere/soap';
import {
  arrayOf,
  asArray,
  decodeAny,
  envelope,
  moRef,
  parseXml,
  text,
  toSoap,
  toXml,
  xsiType,
} from '../../../core/vsphere/xml';

const VCSIM_STYLE = `<?xml version="1.0" encoding="UTF-8"?>
<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><soapenv:Body><RetrievePropertiesExResponse xmlns="urn:vim25"><returnval><objects><obj type="VirtualMachine">vm-1</obj><propSet><name>parent</name><val xmlns:XMLSchema-instance="http://www.w3.org/2001/XMLSchema-instance" XMLSchema-instance:type="ManagedObjectReference" type="Folder">group-v3</val></propSet><propSet><name>config.hardware.device</name><val xmlns:XMLSchema-instance="http://www.w3.org/2001/XMLSchema-instance" XMLSchema-instance:type="ArrayOfVirtualDevice"><VirtualDevice XMLSchema-instance:type="VirtualDisk"><key>2000</key></VirtualDevice></val></propSet></objects></returnval></RetrievePropertiesExResponse></soapenv:Body></soapenv:Envelope>`;

const VCENTER_STYLE = `<?xml version="1.0" encoding="UTF-8"?>
<soapenv:Envelope xmlns:soapenc="http://schemas.xmlsoap.org/soap/encoding/"
 xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"
 xmlns:xsd="http://www.w3.org/2001/XMLSchema"
 xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<soapenv:Body>
<RetrievePropertiesExResponse xmlns="urn:vim25"><returnval><objects><obj type="VirtualMachine">vm-1</obj><propSet><name>parent</name><val type="Folder" xsi:type="ManagedObjectReference">group-v3</val></propSet><propSet><name>config.hardware.device</name><val xsi:type="ArrayOfVirtualDevice"><VirtualDevice xsi:type="VirtualDisk"><key>2000</key></VirtualDevice><VirtualDevice xsi:type="VirtualVmxnet3"><key>4000</key></VirtualDevice></val></propSet></objects></returnval></RetrievePropertiesExResponse>
</soapenv:Body>
</soapenv:Envelope>`;

describe('SOAP parsing', () => {
  it('resolves the XML Schema instance prefix by namespace URI, whatever it is called', () => {
    for (const xml of [
      VCSIM_STYLE,
      VCENTER_STYLE,
      VCENTER_STYLE.replace(/xsi([:=])/g, 'i$1').replace('xmlns:xsi', 'xmlns:i'),
    ]) {
      const r = parseSoapResponse(xml, 'RetrievePropertiesEx');
      const props = asArray((r as { objects: { propSet: unknown } }).objects.propSet as never);
      const parent = (props[0] as { val: never }).val;
      expect(xsiType(parent)).toBe('ManagedObjectReference');
      // The MOR's own `type` attribute is not confused with xsi:type.
      expect(moRef(parent)).toEqual({ type: 'Folder', value: 'group-v3' });
      const devices = arrayOf((props[1] as { val: never }).val);
      expect(xsiType(devices[0])).toBe('VirtualDisk');
    }
  });

  it('a prefix bound to another namespace is not taken for xsi', () => {
    const xml = VCENTER_STYLE.replace(
      '<val type="Folder" xsi:type=',
      '<val xmlns:foo="urn:other" foo:type="Nope" type="Folder" xsi:type=',
    );
    const r = parseSoapResponse(xml, 'RetrievePropertiesEx') as never;
    const parent = (asArray((r as { objects: { propSet: never } }).objects.propSet)[0] as { val: never }).val;
    expect(xsiType(parent)).toBe('ManagedObjectReference');
  });

  it('list-valued fields are arrays with one element or many', () => {
    expect(asArray(undefined)).toEqual([]);
    expect(asArray('a')).toEqual(['a']);
    expect(asArray(['a', 'b'])).toEqual(['a', 'b']);
  });

  it('decodes entities lazily (names may contain &, <, quotes) and keeps numeric-looking names as text', () => {
    const xml = VCENTER_STYLE.replace('group-v3', 'a &amp; b &lt;c&gt; &#39;d&#39; &#x41;');
    const r = parseSoapResponse(xml, 'RetrievePropertiesEx') as never;
    const parent = (asArray((r as { objects: { propSet: never } }).objects.propSet)[0] as { val: never }).val;
    expect(text(parent)).toBe("a & b <c> 'd' A");
    // Decoded exactly once: a name that literally contains "&lt;" keeps it.
    const literal = parseSoapResponse(
      VCENTER_STYLE.replace('group-v3', 'x &amp;lt; y'),
      'RetrievePropertiesEx',
    ) as never;
    const lit = (asArray((literal as { objects: { propSet: never } }).objects.propSet)[0] as { val: never })
      .val;
    expect(text(lit)).toBe('x &lt; y');
    expect(decodeAny({ '@xsi': 'xsd:string', '#': '007' })).toBe('007');
    expect(decodeAny({ '@xsi': 'xsd:int', '#': '42' })).toBe(42);
    expect(decodeAny({ '@xsi': 'xsd:boolean', '#': 'true' })).toBe(true);
    expect(decodeAny({ '@xsi': 'ArrayOfString', string: ['x', 'y'] })).toEqual(['x', 'y']);
  });

  it('a method without a return value gives undefined; a fault becomes a typed error', () => {
    expect(
      parseSoapResponse(
        VCENTER_STYLE.replace(
          /<RetrievePropertiesExResponse[\s\S]*Response>/,
          '<LogoutResponse xmlns="urn:vim25"></LogoutResponse>',
        ),
        'Logout',
      ),
    ).toBeUndefined();
    const fault = VCENTER_STYLE.replace(
      /<RetrievePropertiesExResponse[\s\S]*Response>/,
      '<soapenv:Fault><faultcode>ServerFaultCode</faultcode><faultstring>The attempted operation cannot be performed in the current state (Powered on).</faultstring><detail><InvalidPowerStateFault xmlns="urn:vim25" xsi:type="InvalidPowerState"><requestedState>poweredOff</requestedState><existingState>poweredOn</existingState></InvalidPowerStateFault></detail></soapenv:Fault>',
    );
    let err: unknown;
    try {
      parseSoapResponse(fault, 'PowerOnVM_Task', 500);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(InvalidPowerState);
    expect(isFault(err, 'InvalidPowerState')).toBe(true);
    const f = err as InvalidPowerState;
    expect(f.code).toBe('conflict');
    expect(f.method).toBe('PowerOnVM_Task');
    expect(f.details).toEqual({ requestedState: 'poweredOff', existingState: 'poweredOn' });
    expect(f.message).toMatch(
      /PowerOnVM_Task: the VM is not in a power state that allows this \(InvalidPowerState\): The attempted operation/,
    );
  });

  it('an unknown fault keeps its name and the server text', () => {
    const fault = VCENTER_STYLE.replace(
      /<RetrievePropertiesExResponse[\s\S]*Response>/,
      '<soapenv:Fault><faultcode>ServerFaultCode</faultcode><faultstring>Host is in maintenance mode</faultstring><detail><HostInMaintenanceModeFault xmlns="urn:vim25" xsi:type="HostInMaintenanceMode"/></detail></soapenv:Fault>',
    );
    expect(() => parseSoapResponse(fault, 'PowerOnVM_Task', 500)).toThrow(VimFault);
    try {
      parseSoapResponse(fault, 'PowerOnVM_Task', 500);
    } catch (e) {
      expect((e as VimFault).fault).toBe('HostInMaintenanceMode');
      expect((e as VimFault).code).toBe('remote-error');
      expect((e as VimFault).message).toBe(
        'PowerOnVM_Task failed: HostInMaintenanceMode: Host is in maintenance mode',
      );
    }
    expect(new NotAuthenticated('unauthorized', 'x', 'NotAuthenticated', 'm', '')).toBeInstanceOf(VimFault);
  });
});

describe('SOAP writing', () => {
  it('writes elements in the given order with xsi:type, references and escaping', () => {
    expect(
      toXml('spec', {
        $type: 'VirtualMachineConfigSpec',
        name: 'a<b>&"c"',
        numCPUs: 2,
        deviceChange: [{ operation: 'add', device: { $type: 'VirtualDisk', key: -1 } }],
        unset: undefined,
        files: { vmPathName: '[ds1]' },
      }),
    ).toBe(
      '<spec xsi:type="VirtualMachineConfigSpec"><name>a&lt;b&gt;&amp;&quot;c&quot;</name><numCPUs>2</numCPUs><deviceChange><operation>add</operation><device xsi:type="VirtualDisk"><key>-1</key></device></deviceChange><files><vmPathName>[ds1]</vmPathName></files></spec>',
    );
    expect(toXml('obj', { type: 'VirtualMachine', value: 'vm-1' })).toBe(
      '<obj type="VirtualMachine">vm-1</obj>',
    );
    expect(toXml('type', ['A', 'B'])).toBe('<type>A</type><type>B</type>');
    const env = envelope('PowerOnVM_Task', { type: 'VirtualMachine', value: 'vm-1' }, []);
    expect(env).toContain(
      '<soapenv:Body><PowerOnVM_Task xmlns="urn:vim25"><_this type="VirtualMachine">vm-1</_this></PowerOnVM_Task></soapenv:Body>',
    );
  });

  it('a parsed device goes back to XML unchanged in order and types', () => {
    const dev = {
      '@xsi': 'VirtualVmxnet3',
      key: '4000',
      backing: {
        '@xsi': 'VirtualEthernetCardNetworkBackingInfo',
        deviceName: 'VM Network',
        network: { '@type': 'Network', '#': 'network-7' },
      },
      macAddress: '00:50:56:aa:bb:cc',
    };
    expect(toXml('device', toSoap(dev))).toBe(
      '<device xsi:type="VirtualVmxnet3"><key>4000</key><backing xsi:type="VirtualEthernetCardNetworkBackingInfo"><deviceName>VM Network</deviceName><network type="Network">network-7</network></backing><macAddress>00:50:56:aa:bb:cc</macAddress></device>',
    );
  });

  it('keeps the text of xsi-typed leaf values (extraConfig) when sending a value back', () => {
    const xml = `<?xml version="1.0"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xsd="http://www.w3.org/2001/XMLSchema"><soapenv:Body><RetrievePropertiesExResponse xmlns="urn:vim25"><returnval><objects><obj type="VirtualMachine">vm-1</obj><propSet><name>config.extraConfig</name><val xsi:type="ArrayOfOptionValue"><OptionValue xsi:type="OptionValue"><key>guestinfo.a&amp;b</key><value xsi:type="xsd:string">x &lt; y</value></OptionValue><OptionValue xsi:type="OptionValue"><key>n</key><value xsi:type="xsd:int">42</value></OptionValue></val></propSet></objects></returnval></RetrievePropertiesExResponse></soapenv:Body></soapenv:Envelope>`;
    const r = parseSoapResponse(xml, 'RetrievePropertiesEx') as never;
    const val = (r as { objects: { propSet: { val: never } } }).objects.propSet.val;
    expect(toXml('extraConfig', arrayOf(val).map(toSoap))).toBe(
      '<extraConfig xsi:type="OptionValue"><key>guestinfo.a&amp;b</key><value xsi:type="xsd:string">x &lt; y</value></extraConfig>' +
        '<extraConfig xsi:type="OptionValue"><key>n</key><value xsi:type="xsd:int">42</value></extraConfig>',
    );
  });

  it('passes over only the element types asked for', () => {
    const xml =
      '<val xmlns:x="http://www.w3.org/2001/XMLSchema-instance"><VirtualDevice x:type="VirtualKeyboard"><key>600</key></VirtualDevice><VirtualDevice x:type="VirtualDisk"><key>2000</key></VirtualDevice><VirtualDevice x:type="VirtualPCIController"/></val>';
    const skip = { tag: 'VirtualDevice', types: new Set(['VirtualKeyboard', 'VirtualPCIController']) };
    expect(parseXml(xml, skip)).toEqual({ val: { VirtualDevice: { '@xsi': 'VirtualDisk', key: '2000' } } });
    expect(parseXml(xml, { tag: 'VirtualDevice', types: new Set(['Nothing']) })).toEqual(parseXml(xml));
  });

  it('refuses a closing tag that does not match, and an element left open', () => {
    expect(() => parseXml('<a><b></a></b>')).toThrow(/closing tag a does not match b at line 1/);
    expect(() => parseXml('<a><b></b>')).toThrow(/element a is not closed/);
  });

  it('normalizes SHA-256 thumbprints and refuses anything else', () => {
    const hex = 'AB'.repeat(32);
    expect(normalizeThumbprint(hex)).toBe(`${'ab:'.repeat(31)}ab`);
    expect(normalizeThumbprint(` ${'ab:'.repeat(31)}AB `)).toBe(`${'ab:'.repeat(31)}ab`);
    expect(() => normalizeThumbprint('ab:cd')).toThrow(/64 hex digits/);
    // A SHA-1 thumbprint (what older tools show) is refused with the same explanation.
    expect(() => normalizeThumbprint('AB'.repeat(20))).toThrow(/SHA-256/);
  });
});
