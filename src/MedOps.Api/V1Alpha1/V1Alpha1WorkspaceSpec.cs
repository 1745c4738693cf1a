using System.ComponentModel;
using System.Text.Json.Serialization;
using k8s.Models;
using MedOps.Api.Schema;

namespace MedOps.Api.V1Alpha1;

/// <summary>The desired state of a Workspace: one virtual machine for one person.</summary>
public sealed class V1Alpha1WorkspaceSpec
{
    /// <summary>The default number of cores.</summary>
    public const int DefaultCpu = 2;

    /// <summary>The default guest memory.</summary>
    public const string DefaultMemory = "1Gi";

    /// <summary>Who the workspace is for.</summary>
    [JsonPropertyName("owner")]
    [Description("The clinician or researcher the workspace belongs to, for example dr.smith@hospital.example.")]
    [Required]
    [MinLength(1)]
    public string Owner { get; set; } = "";

    /// <summary>Virtual CPU cores.</summary>
    [JsonPropertyName("cpu")]
    [Description("Virtual CPU cores of the virtual machine (domain.cpu.cores), a whole number from 1 to 64.")]
    [DefaultValue(DefaultCpu)]
    [Minimum(1)]
    [Maximum(64)]
    public int Cpu { get; set; } = DefaultCpu;

    /// <summary>Guest memory.</summary>
    [JsonPropertyName("memory")]
    [Description("Guest memory of the virtual machine as a quantity, for example 8Gi; also its memory request.")]
    [DefaultValue(DefaultMemory)]
    [Quantity]
    public string Memory { get; set; } = DefaultMemory;

    /// <summary>The root disk.</summary>
    [JsonPropertyName("disk")]
    [Description("Root disk, a DataVolume <name>-rootdisk that is kept while the workspace is stopped.")]
    [DefaultObject]
    public WorkspaceDisk Disk { get; set; } = new();

    /// <summary>The operating system image.</summary>
    [JsonPropertyName("image")]
    [Description("Operating system image the root disk starts from: exactly one of containerDisk, http and pvc.")]
    [Required]
    public WorkspaceImage Image { get; set; } = new();

    /// <summary>Whether the virtual machine runs.</summary>
    [JsonPropertyName("running")]
    [Description("True runs the virtual machine (runStrategy Always); false stops it (runStrategy Halted) and keeps the disk.")]
    [DefaultValue(true)]
    public bool Running { get; set; } = true;

    /// <summary>GPU passthrough.</summary>
    [JsonPropertyName("gpu")]
    [Description("GPUs passed through to the virtual machine. Omitted: none.")]
    public WorkspaceGpu? Gpu { get; set; }

    /// <summary>The sensitivity of the data in the workspace.</summary>
    [JsonPropertyName("dataClassification")]
    [Description("Sensitivity of the data in the workspace: PHI, LimitedDataSet, DeIdentified or Public. PHI and LimitedDataSet workspaces get a NetworkPolicy that confines the virtual machine's traffic.")]
    [DefaultValue(DataClassification.PHI)]
    public DataClassification DataClassification { get; set; } = DataClassification.PHI;

    /// <summary>A legal hold on the workspace and its disk.</summary>
    [JsonPropertyName("legalHold")]
    [Description("Name of a legal hold (a case or audit reference, for example case-2026-117). While set, the workspace cannot be deleted (a finalizer keeps it and its disk until the hold is removed), and its disk cannot be shrunk, moved or replaced; removing or changing the hold needs the RBAC verb release-hold on workspaces when the admission webhook runs.")]
    [MinLength(1)]
    [MaxLength(253)]
    public string? LegalHold { get; set; }

    /// <summary>When the operator stops the workspace on its own.</summary>
    [JsonPropertyName("lifecycle")]
    [Description("Scheduled shutdown: a maximum session length and active hours. Omitted: the operator's defaults (defaults.workspaceLifecycle in its configuration file), if any.")]
    public WorkspaceLifecycle? Lifecycle { get; set; }

    /// <summary>Node labels the virtual machine's pod (virt-launcher) must match.</summary>
    [JsonPropertyName("nodeSelector")]
    [Description("Node labels the virtual machine's pod (virt-launcher) must match (a core/v1 nodeSelector, spec.template.spec.nodeSelector of the VirtualMachine), for example a node pool for workspaces.")]
    public IDictionary<string, string>? NodeSelector { get; set; }

    /// <summary>Taints the virtual machine's pod (virt-launcher) tolerates.</summary>
    [JsonPropertyName("tolerations")]
    [Description("Tolerations of the virtual machine's pod (core/v1 Toleration, spec.template.spec.tolerations of the VirtualMachine), for nodes tainted for workspaces; the toleration of the GPU's own taint is added by the operator.")]
    public IList<V1Toleration>? Tolerations { get; set; }
}
