/** The plan file of issue 11, verbatim. */
export const issueExample = `
name: web-tier
source: { site: primary }
target:
  site: secondary
  masterTarget: mt-linux-01          # a VM on the target site, registered as master target
  placement: { cluster: C0, datastore: LocalDS_0, folder: /Recovered }   # or host: NAME
  networks: { "VM Network": "DR Network" }    # every source network needs a mapping
  testNetwork: DR-Test                        # isolated network for test failover
policy: { rpoThresholdMinutes: 15, retentionHours: 24, appConsistentEveryMinutes: 60 }
parallelism: 10
machines:
  - { vm: web-01, bootGroup: 1 }
  - { vm: app-01, bootGroup: 2, dependsOn: [db-01], recoveredName: app-01-dr,
      reip: { nic: 0, address: 10.20.0.11/24, gateway: 10.20.0.1, dns: [10.20.0.2] } }
steps:
  - { after: 1, message: "Check the database replicas before starting group 2" }
  - { after: 2, script: { command: "/opt/dr/smoke.sh", timeoutSeconds: 120 } }
`;
