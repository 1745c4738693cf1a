using System.Globalization;
using System.Text.Json.Nodes;
using MedOps.NodeSimulator.Nodes;

namespace MedOps.NodeSimulator.KubeVirt;

/// <summary>
/// What virt-controller would do for one VirtualMachine now: DataVolumes to create from its
/// templates, its next status (null: unchanged), when to look again, and a log line.
/// </summary>
internal sealed record VirtualMachineDecision(
    JsonObject? Status, IReadOnlyList<JsonObject> DataVolumesToCreate, DateTime? WakeAt, string? Summary);

/// <summary>
/// KubeVirt's VM controller as one pure function of the VM, the DataVolumes in its namespace,
/// the simulated nodes (what they offer, how they are tainted), and the clock. The state and the moment it was
/// entered are kept in the VM's status (printableStatus and the Ready condition's reason and
/// lastTransitionTime), so timers survive a simulator restart.
/// </summary>
internal static class VirtualMachinePlanner
{
    public const string Running = "Running";
    public const string Starting = "Starting";
    public const string Stopping = "Stopping";
    public const string Stopped = "Stopped";
    public const string Provisioning = "Provisioning";
    public const string ErrorUnschedulable = "ErrorUnschedulable";
    public const string DataVolumeError = "DataVolumeError";

    private sealed record State(string PrintableStatus, bool Created, bool Ready, string Reason, string Message);

    public static VirtualMachineDecision Plan(
        JsonObject vm,
        IReadOnlyDictionary<string, JsonObject> dataVolumesInNamespace,
        IReadOnlyList<SimulatedNode> nodes,
        DateTime now,
        TimeSpan startupDelay)
    {
        now = Timestamps.AsUtc(now);
        if (JsonFields.At(vm, "metadata", "deletionTimestamp") is not null)
        {
            // Being deleted: garbage collection takes it and its DataVolumes; create nothing.
            return new VirtualMachineDecision(null, [], null, null);
        }

        var toCreate = DataVolumesToCreate(vm, dataVolumesInNamespace);
        var oldStatus = vm["status"] as JsonObject;
        var current = JsonFields.String(oldStatus, "printableStatus");
        var (shouldRun, consumedRequests) = ShouldRun(vm, current);

        DateTime? wakeAt = null;
        State next;
        if (!shouldRun)
        {
            next = current switch
            {
                Running or Starting => Transitional(Stopping),
                Stopping => Since(current, oldStatus, now) + startupDelay is var stopAt && now < stopAt
                    ? Transitional(Stopping)
                    : Final(Stopped),
                _ => Final(Stopped),
            };
        }
        else if (VirtualMachinePlacement.Unschedulable(vm, nodes) is { } unschedulable)
        {
            next = new State(ErrorUnschedulable, true, false, "Unschedulable", unschedulable);
        }
        else if (DataVolumeProblem(vm, dataVolumesInNamespace) is { } problem)
        {
            next = problem;
        }
        else
        {
            next = current switch
            {
                Running => Final(Running),
                Starting => Since(current, oldStatus, now) + startupDelay is var runAt && now >= runAt
                    ? Final(Running)
                    : Transitional(Starting),
                _ => Transitional(Starting),
            };
        }

        if (next.PrintableStatus is Starting or Stopping)
        {
            var since = next.PrintableStatus == current ? Since(current, oldStatus, now) : Timestamps.NextWholeSecond(now);
            wakeAt = since + startupDelay;
        }

        var status = JsonFields.StatusCopy(vm);
        status["printableStatus"] = next.PrintableStatus;
        status["created"] = next.Created;
        status["ready"] = next.Ready;
        if (JsonFields.Long(vm, "metadata", "generation") is { } generation)
        {
            status["observedGeneration"] = generation;
            status["desiredGeneration"] = generation;
        }

        if (consumedRequests)
        {
            status.Remove("stateChangeRequests");
        }

        JsonFields.SetCondition(status, "Ready", next.Ready, next.Reason, next.Message, now);

        var changed = oldStatus is null || !JsonNode.DeepEquals(oldStatus, status);
        var notes = new List<string>();
        if (current != next.PrintableStatus)
        {
            notes.Add($"{current ?? "(new)"} -> {next.PrintableStatus}");
        }

        notes.AddRange(toCreate.Select(dv => $"creating DataVolume {JsonFields.Name(dv)}"));
        return new VirtualMachineDecision(changed ? status : null, toCreate, wakeAt, notes.Count == 0 ? null : string.Join("; ", notes));
    }

    private static State Final(string printableStatus) => printableStatus switch
    {
        Running => new State(Running, true, true, Running, "The VirtualMachine is running"),
        _ => new State(Stopped, false, false, Stopped, "VMI does not exist"),
    };

    private static State Transitional(string printableStatus) => printableStatus == Starting
        ? new State(Starting, true, false, Starting, "The VirtualMachine is starting")
        : new State(Stopping, true, false, Stopping, "The VirtualMachine is stopping");

    /// <summary>When the VM entered <paramref name="printableStatus"/>: the Ready condition's transition time.</summary>
    private static DateTime Since(string? printableStatus, JsonObject? status, DateTime now) =>
        printableStatus is null
            ? now
            : JsonFields.ConditionSince(status, "Ready", printableStatus == Running, printableStatus) ?? now;

    /// <summary>
    /// Whether the VM should run: <c>spec.runStrategy</c> (Always, RerunOnFailure, Once: yes;
    /// Halted: no; Manual: as the last start/stop request in <c>status.stateChangeRequests</c> says,
    /// else as it is), or the legacy <c>spec.running</c>.
    /// </summary>
    private static (bool ShouldRun, bool ConsumedRequests) ShouldRun(JsonObject vm, string? current)
    {
        var requests = JsonFields.Objects(vm, "status", "stateChangeRequests").ToList();
        var lastAction = requests.Count > 0 ? JsonFields.String(requests[^1], "action") : null;
        var isUp = current is Running or Starting;
        var strategy = JsonFields.String(vm, "spec", "runStrategy");
        var shouldRun = strategy switch
        {
            "Always" or "RerunOnFailure" or "Once" => true,
            "Halted" => false,
            "Manual" => lastAction switch
            {
                "Start" => true,
                "Stop" => false,
                _ => isUp,
            },
            _ => JsonFields.Bool(vm, "spec", "running") == true,
        };
        return (shouldRun, requests.Count > 0);
    }

    private static State? DataVolumeProblem(JsonObject vm, IReadOnlyDictionary<string, JsonObject> dataVolumes)
    {
        var names = ReferencedDataVolumes(vm);
        var failed = names.FirstOrDefault(n => dataVolumes.TryGetValue(n, out var dv) && JsonFields.String(dv, "status", "phase") == "Failed");
        if (failed is not null)
        {
            return new State(DataVolumeError, false, false, DataVolumeError, $"DataVolume {failed} failed");
        }

        var pending = names
            .Where(n => !dataVolumes.TryGetValue(n, out var dv) || JsonFields.String(dv, "status", "phase") != DataVolumePlanner.Succeeded)
            .ToList();
        return pending.Count == 0
            ? null
            : new State(Provisioning, false, false, Provisioning,
                string.Create(CultureInfo.InvariantCulture, $"Waiting for DataVolumes: {string.Join(", ", pending)}"));
    }

    /// <summary>DataVolumes of the VM: its templates and the dataVolume volumes of its VMI template.</summary>
    public static IReadOnlyList<string> ReferencedDataVolumes(JsonObject vm) =>
        JsonFields.Objects(vm, "spec", "dataVolumeTemplates").Select(t => JsonFields.String(t, "metadata", "name"))
            .Concat(JsonFields.Objects(vm, "spec", "template", "spec", "volumes").Select(v => JsonFields.String(v, "dataVolume", "name")))
            .OfType<string>()
            .Distinct(StringComparer.Ordinal)
            .ToList();

    /// <summary>DataVolumes for templates that do not exist yet, owned by the VM (so they go when it goes).</summary>
    private static List<JsonObject> DataVolumesToCreate(JsonObject vm, IReadOnlyDictionary<string, JsonObject> existing)
    {
        var result = new List<JsonObject>();
        foreach (var template in JsonFields.Objects(vm, "spec", "dataVolumeTemplates"))
        {
            var name = JsonFields.String(template, "metadata", "name");
            if (name is null || existing.ContainsKey(name))
            {
                continue;
            }

            var metadata = new JsonObject
            {
                ["name"] = name,
                ["namespace"] = JsonFields.Namespace(vm),
                ["ownerReferences"] = new JsonArray(new JsonObject
                {
                    ["apiVersion"] = KubeVirtApi.VirtualMachines.ApiVersion,
                    ["kind"] = KubeVirtApi.VirtualMachines.Kind,
                    ["name"] = JsonFields.Name(vm),
                    ["uid"] = JsonFields.String(vm, "metadata", "uid"),
                    ["controller"] = true,
                    ["blockOwnerDeletion"] = true,
                }),
            };
            foreach (var field in new[] { "labels", "annotations" })
            {
                if (JsonFields.At(template, "metadata", field) is JsonObject values)
                {
                    metadata[field] = values.DeepClone();
                }
            }

            result.Add(new JsonObject
            {
                ["apiVersion"] = KubeVirtApi.DataVolumes.ApiVersion,
                ["kind"] = KubeVirtApi.DataVolumes.Kind,
                ["metadata"] = metadata,
                ["spec"] = JsonFields.At(template, "spec")?.DeepClone() ?? new JsonObject(),
            });
        }

        return result;
    }
}
