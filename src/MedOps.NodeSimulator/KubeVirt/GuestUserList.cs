using System.Text.Json.Nodes;

namespace MedOps.NodeSimulator.KubeVirt;

/// <summary>
/// What KubeVirt's <c>userlist</c> subresource answers for a VirtualMachineInstance, played from
/// the VirtualMachine: 404 while it does not run, 409 when its guest agent is "disconnected"
/// (annotation <see cref="AgentAnnotation"/>), else the users of annotation
/// <see cref="UsersAnnotation"/> (comma-separated; absent or empty: nobody logged in). Pure.
/// </summary>
internal static class GuestUserList
{
    /// <summary>Annotation on a VirtualMachine: the users logged in to the guest, comma-separated.</summary>
    public const string UsersAnnotation = "sim.medops.io/guest-users";

    /// <summary>Annotation on a VirtualMachine: <c>disconnected</c> plays a guest without a running agent.</summary>
    public const string AgentAnnotation = "sim.medops.io/guest-agent";

    /// <summary>The status code and JSON body of <c>GET …/virtualmachineinstances/&lt;name&gt;/userlist</c>.</summary>
    public static (int Code, JsonObject Body) For(JsonObject? virtualMachine, string name, DateTime now)
    {
        if (virtualMachine is null || JsonFields.String(virtualMachine, "status", "printableStatus") != "Running"
            || JsonFields.Bool(virtualMachine, "status", "ready") != true)
        {
            return (404, Status(404, "NotFound", $"virtualmachineinstance \"{name}\" not found"));
        }
        var annotations = JsonFields.At(virtualMachine, "metadata", "annotations") as JsonObject;
        if (annotations?[AgentAnnotation]?.GetValue<string>() == "disconnected")
        {
            return (409, Status(409, "Conflict", "VMI does not have guest agent connected"));
        }
        var users = (annotations?[UsersAnnotation]?.GetValue<string>() ?? "")
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var login = new DateTimeOffset(Timestamps.AsUtc(now)).ToUnixTimeSeconds();
        var items = new JsonArray([.. users.Select(u => (JsonNode)new JsonObject { ["userName"] = u, ["domain"] = "", ["loginTime"] = login })]);
        return (200, new JsonObject { ["apiVersion"] = "v1", ["kind"] = "VirtualMachineInstanceGuestOSUserList", ["items"] = items });
    }

    private static JsonObject Status(int code, string reason, string message) => new()
    {
        ["kind"] = "Status",
        ["apiVersion"] = "v1",
        ["status"] = "Failure",
        ["reason"] = reason,
        ["code"] = code,
        ["message"] = message,
    };
}
