-- Cases for Workspace/health.lua, run by ../../test_runner.lua. Statuses are written as the
-- operator writes them (WorkspaceStatusBuilder): same reasons and messages.
local t = ...
local C, R = t.condition, t.resource

local function workspace(generation, running, status)
  local o = R("Workspace", generation, status)
  o.spec = { owner = "dr.smith@hospital.example", running = running }
  return o
end

local stopped = "the virtual machine is stopped; the disk is kept"
local up = "the virtual machine is running"

return {
  {
    name = "no status yet",
    input = workspace(1, true, nil),
    expected = { status = "Progressing", message = "waiting for the operator to observe generation 1" },
  },
  {
    name = "stale observedGeneration (running: false set, still Running)",
    input = workspace(2, false, {
      observedGeneration = 1, phase = "Running", vmName = "dr-smith",
      conditions = { C("Ready", "True", "Running", up, 1) },
    }),
    expected = { status = "Progressing", message = "waiting for the operator to observe generation 2" },
  },
  {
    name = "Provisioning: importing the root disk",
    input = workspace(1, true, {
      observedGeneration = 1, phase = "Provisioning", vmName = "dr-smith",
      conditions = {
        C("Ready", "False", "Provisioning", "importing the root disk (45.00%)", 1),
        C("Reconciling", "True", "Provisioning", "importing the root disk (45.00%)", 1),
      },
    }),
    expected = { status = "Progressing", message = "importing the root disk (45.00%)" },
  },
  {
    name = "Starting: the VM boots",
    input = workspace(1, true, {
      observedGeneration = 1, phase = "Starting", vmName = "dr-smith",
      conditions = {
        C("Ready", "False", "Starting", "the virtual machine is booting", 1),
        C("Reconciling", "True", "Starting", "the virtual machine is booting", 1),
      },
    }),
    expected = { status = "Progressing", message = "the virtual machine is booting" },
  },
  {
    name = "Running and ready",
    input = workspace(1, true, {
      observedGeneration = 1, phase = "Running", vmName = "dr-smith",
      conditions = { C("Ready", "True", "Running", up, 1) },
    }),
    expected = { status = "Healthy", message = up },
  },
  {
    name = "Running, cpu changed: restart required",
    input = workspace(2, true, {
      observedGeneration = 2, phase = "Running", vmName = "dr-smith",
      conditions = {
        C("Ready", "True", "Running", up, 2),
        C("RestartRequired", "True", "RestartRequired", "cpu or memory changed while the virtual machine runs: KubeVirt applies it at the next start; set running: false, then true, to restart now", 2),
      },
    }),
    expected = { status = "Healthy", message = up .. "; restart required: cpu or memory changed while the virtual machine runs: KubeVirt applies it at the next start; set running: false, then true, to restart now" },
  },
  {
    name = "Stopping",
    input = workspace(2, false, {
      observedGeneration = 2, phase = "Stopping", vmName = "dr-smith",
      conditions = {
        C("Ready", "False", "Stopping", "stopping the virtual machine (now Stopping)", 2),
        C("Reconciling", "True", "Stopping", "stopping the virtual machine (now Stopping)", 2),
      },
    }),
    expected = { status = "Progressing", message = "stopping the virtual machine (now Stopping)" },
  },
  {
    name = "Stopped on purpose (running: false)",
    input = workspace(2, false, {
      observedGeneration = 2, phase = "Stopped", vmName = "dr-smith",
      conditions = { C("Ready", "True", "Stopped", stopped, 2) },
    }),
    expected = { status = "Suspended", message = stopped },
  },
  {
    name = "Paused with virtctl",
    input = workspace(1, true, {
      observedGeneration = 1, phase = "Running", vmName = "dr-smith",
      conditions = {
        C("Ready", "False", "Paused", "the virtual machine is paused: unpause it with virtctl unpause vm", 1),
        C("Reconciling", "True", "Paused", "the virtual machine is paused: unpause it with virtctl unpause vm", 1),
      },
    }),
    expected = { status = "Suspended", message = "the virtual machine is paused: unpause it with virtctl unpause vm" },
  },
  {
    name = "Failed: the disk import failed (Stalled)",
    input = workspace(1, true, {
      observedGeneration = 1, phase = "Failed", vmName = "dr-smith",
      conditions = {
        C("Ready", "False", "DataVolumeError", "the root disk dr-smith-rootdisk failed to import: image not found", 1),
        C("Stalled", "True", "DataVolumeError", "the root disk dr-smith-rootdisk failed to import: image not found", 1),
      },
    }),
    expected = { status = "Degraded", message = "DataVolumeError: the root disk dr-smith-rootdisk failed to import: image not found" },
  },
  {
    name = "Stalled: KubeVirt not installed",
    input = workspace(1, true, {
      observedGeneration = 1, phase = "Failed",
      conditions = {
        C("Ready", "False", "KubeVirtNotInstalled", "virtualmachines.kubevirt.io is not served: install KubeVirt", 1),
        C("Stalled", "True", "KubeVirtNotInstalled", "virtualmachines.kubevirt.io is not served: install KubeVirt", 1),
      },
    }),
    expected = { status = "Degraded", message = "KubeVirtNotInstalled: virtualmachines.kubevirt.io is not served: install KubeVirt" },
  },
  {
    name = "Stalled while the VM runs: disk shrink refused",
    input = workspace(3, true, {
      observedGeneration = 3, phase = "Running", vmName = "dr-smith",
      conditions = {
        C("Ready", "False", "DiskShrinkRefused", "spec.disk.size 10Gi is smaller than the disk's 20Gi: disks only grow", 3),
        C("Stalled", "True", "DiskShrinkRefused", "spec.disk.size 10Gi is smaller than the disk's 20Gi: disks only grow", 3),
      },
    }),
    expected = { status = "Degraded", message = "DiskShrinkRefused: spec.disk.size 10Gi is smaller than the disk's 20Gi: disks only grow" },
  },
  {
    name = "Failed phase without Stalled",
    input = workspace(1, true, {
      observedGeneration = 1, phase = "Failed",
      conditions = { C("Ready", "False", "CrashLoopBackOff", "the VirtualMachine reports CrashLoopBackOff", 1) },
    }),
    expected = { status = "Degraded", message = "CrashLoopBackOff: the VirtualMachine reports CrashLoopBackOff" },
  },
  {
    name = "observed, no conditions yet",
    input = workspace(1, true, { observedGeneration = 1, phase = "Provisioning" }),
    expected = { status = "Progressing", message = "phase Provisioning" },
  },
}
