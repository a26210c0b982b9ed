/** Path of govmomi's generated vSphere types in Debian's golang-github-vmware-govmomi-dev. */
export declare const TYPES_GO: string;
/** name → parent for every fault type in govmomi's types.go. */
export declare function faultParents(source: string): Record<string, string>;
export declare function render(parents: Record<string, string>): string;
