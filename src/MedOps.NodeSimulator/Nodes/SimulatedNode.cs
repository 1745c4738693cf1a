using k8s.Models;

namespace MedOps.NodeSimulator.Nodes;

/// <summary>One node the simulator registers and keeps Ready, as a kubelet would.</summary>
/// <param name="Name">Node name, also its <c>kubernetes.io/hostname</c>.</param>
/// <param name="InternalIp">The address reported as InternalIP and used as hostIP of its pods.</param>
/// <param name="Labels">Labels the node must carry (others on the object are left alone).</param>
/// <param name="Capacity">Capacity, reported as allocatable too.</param>
/// <param name="Taints">Taints the node must carry.</param>
internal sealed record SimulatedNode(
    string Name,
    string InternalIp,
    IReadOnlyDictionary<string, string> Labels,
    IReadOnlyDictionary<string, string> Capacity,
    IReadOnlyList<V1Taint> Taints);
