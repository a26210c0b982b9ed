import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FAULT_PARENT } from '../../../core/vsphere/fault-tree';
import {
  FileFault,
  FileNotFound,
  InvalidPowerState,
  InvalidState,
  isFault,
  NoPermission,
  NotAuthenticated,
  type VimFault,
} from '../../../core/vsphere/faults';
import { parseSoapResponse } from '../../../core/vsphere/soap';
import { taskError } from '../../../core/vsphere/tasks';
import { faultParents, TYPES_GO } from '../../../scripts/vsphere-fault-tree.mjs';

const fault = (type: string, message = 'm') =>
  `<?xml version="1.0"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><soapenv:Body><soapenv:Fault><faultcode>ServerFaultCode</faultcode><faultstring>${message}</faultstring><detail><${type}Fault xmlns="urn:vim25" xsi:type="${type}"></${type}Fault></detail></soapenv:Fault></soapenv:Body></soapenv:Envelope>`;

const thrown = (xml: string) => {
  try {
    parseSoapResponse(xml, 'PowerOnVM_Task', 500);
  } catch (e) {
    return e as VimFault;
  }
  throw new Error('no fault');
};

describe('vSphere faults are a hierarchy', () => {
  it('a subtype this client does not name is matched by its base type', () => {
    const err = thrown(fault('InvalidHostState', 'The host is in maintenance mode'));
    expect(err).toBeInstanceOf(InvalidState);
    expect(err.fault).toBe('InvalidHostState');
    expect(err.code).toBe('conflict');
    expect(err.message).toBe(
      'PowerOnVM_Task: the object is in a state that does not allow this (InvalidHostState): The host is in maintenance mode',
    );
    expect(isFault(err, 'InvalidState')).toBe(true);
    expect(isFault(err, 'VimFault')).toBe(true);
    expect(isFault(err, 'InvalidPowerState')).toBe(false);
  });

  it('known faults keep their own class and are instances of their base', () => {
    const power = thrown(fault('InvalidPowerState'));
    expect(power).toBeInstanceOf(InvalidPowerState);
    expect(power).toBeInstanceOf(InvalidState);
    expect(thrown(fault('FileNotFound'))).toBeInstanceOf(FileFault);
    expect(thrown(fault('FileNotFound'))).toBeInstanceOf(FileNotFound);
    const locked = thrown(fault('FileLocked'));
    expect(locked).toBeInstanceOf(FileFault);
    expect(locked.fault).toBe('FileLocked');
    expect(thrown(fault('NotAuthenticated'))).toBeInstanceOf(NoPermission);
    expect(isFault(thrown(fault('NotAuthenticated')), 'NotAuthenticated')).toBe(true);
  });

  it('a task error is matched the same way', () => {
    const err = taskError('PowerOnVM_Task', {
      fault: { '@xsi': 'VmPowerOnDisabled' },
      localizedMessage: 'Powering on is disabled',
    } as never);
    expect(err).toBeInstanceOf(InvalidState);
    expect(err).not.toBeInstanceOf(NotAuthenticated);
  });

  it("the fault tree matches govmomi's generated types", () => {
    expect(existsSync(TYPES_GO)).toBe(true);
    expect(FAULT_PARENT).toEqual(faultParents(readFileSync(TYPES_GO, 'utf8')));
  });
});
