using System.Text.Json;
using MedOps.Runtime.Api;

namespace MedOps.Controllers.Workspaces.Lifecycle;

/// <summary>What the guest agent says about logged-in users: unknown (no agent, no answer), or how many.</summary>
/// <param name="Known">False when the agent is not connected or KubeVirt did not answer: never idle then.</param>
/// <param name="Users">Logged-in users, when known.</param>
public sealed record GuestActivity(bool Known, int Users)
{
    /// <summary>Nothing known.</summary>
    public static GuestActivity Unknown { get; } = new(false, 0);
}

/// <summary>
/// Reads the guest agent's user list of a running VirtualMachineInstance from KubeVirt's
/// <c>userlist</c> subresource (<c>subresources.kubevirt.io/v1</c>, what <c>virtctl userlist</c>
/// shows). Any error (no agent: 409; not running: 404; virt-api down) is
/// <see cref="GuestActivity.Unknown"/>, so a workspace is never stopped for idleness on a guess.
/// </summary>
public sealed class GuestSessions(KubeApi api)
{
    /// <summary>The path of the subresource.</summary>
    public static string UserListPath(string @namespace, string name) =>
        $"apis/subresources.kubevirt.io/v1/namespaces/{Uri.EscapeDataString(@namespace)}/virtualmachineinstances/{Uri.EscapeDataString(name)}/userlist";

    /// <summary>The activity of the guest of <paramref name="name"/>.</summary>
    public async Task<GuestActivity> ReadAsync(string @namespace, string name, CancellationToken cancellationToken)
    {
        try
        {
            var json = await api.GetRawAsync(UserListPath(@namespace, name), cancellationToken).ConfigureAwait(false);
            return Parse(json);
        }
        catch (Exception e) when (e is KubeApiException or HttpRequestException or TimeoutException or JsonException)
        {
            return GuestActivity.Unknown;
        }
    }

    /// <summary>Counts <c>items</c> of a VirtualMachineInstanceGuestOSUserList.</summary>
    public static GuestActivity Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.TryGetProperty("items", out var items) && items.ValueKind == JsonValueKind.Array
            ? new GuestActivity(true, items.GetArrayLength())
            : new GuestActivity(true, 0);
    }
}
