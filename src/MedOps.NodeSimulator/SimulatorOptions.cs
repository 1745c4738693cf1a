namespace MedOps.NodeSimulator;

/// <summary>
/// What the node simulator plays: how many nodes of each kind it registers, how fast simulated
/// pods and virtual machines start, whether it installs the KubeVirt and CDI CRDs, and whether
/// it provisions and binds PersistentVolumes.
/// </summary>
public sealed record SimulatorOptions
{
    /// <summary>Most nodes one simulator registers; their InternalIPs are 127.0.0.2 and up.</summary>
    public const int MaxNodes = 200;

    /// <summary>CPU-only nodes <c>sim-cpu-&lt;i&gt;</c> (16 cores, 64Gi).</summary>
    public int CpuNodes { get; init; } = 2;

    /// <summary>GPU nodes <c>sim-gpu-a100-&lt;i&gt;</c> (64 cores, 512Gi, 8 × NVIDIA A100 80GB).</summary>
    public int GpuA100Nodes { get; init; } = 2;

    /// <summary>GPU nodes <c>sim-gpu-t4-&lt;i&gt;</c> (32 cores, 128Gi, 4 × Tesla T4).</summary>
    public int GpuT4Nodes { get; init; } = 1;

    /// <summary>
    /// How long a bound pod stays Pending before it runs, a started virtual machine stays
    /// Starting, a stopped one Stopping, and how long the file system part of a volume expansion
    /// takes; DataVolume imports and crash-loop back-offs scale with it.
    /// </summary>
    public TimeSpan StartupDelay { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// Install the minimal <c>virtualmachines.kubevirt.io</c> and <c>datavolumes.cdi.kubevirt.io</c>
    /// CRDs at start when they are absent. VirtualMachines and DataVolumes are simulated whenever
    /// the CRDs exist, whoever installed them.
    /// </summary>
    public bool InstallKubeVirtCrds { get; init; } = true;

    /// <summary>
    /// Play a storage provisioner and the PersistentVolume controller: create the default
    /// StorageClass <c>medops-simulated</c> at start when absent; every Pending
    /// PersistentVolumeClaim gets a simulated hostPath PersistentVolume and both are bound; a bound
    /// claim that asks for more is expanded; the volume is deleted with its claim.
    /// </summary>
    public bool SimulateStorage { get; init; } = true;

    /// <summary>How often node heartbeats (condition times) are refreshed and node drift repaired.</summary>
    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// The folder under which the simulated volumes' hostPaths are, or null for
    /// <see cref="Storage.StoragePlanner.DefaultHostPathRoot"/>. When set (the local cluster sets
    /// its own folder), the simulator also makes each volume's folder, writable by every uid (a
    /// pod on the real node mounts it as whatever user it runs as), and removes it with the
    /// volume: the data of a claim goes with the claim, as reclaim policy Delete says.
    /// </summary>
    public string? HostPathRoot { get; init; }

    /// <summary>Returns why these options cannot work, or null when they can.</summary>
    public string? Validate()
    {
        if (CpuNodes < 0 || GpuA100Nodes < 0 || GpuT4Nodes < 0)
        {
            return "node counts must not be negative";
        }

        var total = CpuNodes + GpuA100Nodes + GpuT4Nodes;
        if (total > MaxNodes)
        {
            return $"at most {MaxNodes} nodes in total (asked for {total})";
        }

        if (StartupDelay < TimeSpan.Zero)
        {
            return "the startup delay must not be negative";
        }

        return HeartbeatInterval <= TimeSpan.Zero ? "the heartbeat interval must be positive" : null;
    }
}
