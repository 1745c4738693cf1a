using System.Text.Json;

namespace MedOps.Runtime.Api;

/// <summary>
/// Which group versions and resources the cluster serves, asked once per question: the operator
/// picks <c>autoscaling/v2</c> or <c>v2beta2</c>, <c>policy/v1</c> or <c>v1beta1</c>, and notices
/// optional APIs such as KubeVirt, from the discovery documents.
/// </summary>
public sealed class ApiDiscovery(KubeApi api)
{
    /// <summary>True when <paramref name="group"/>/<paramref name="version"/> serves <paramref name="plural"/>.</summary>
    public async Task<bool> IsServedAsync(string group, string version, string plural, CancellationToken cancellationToken)
    {
        var path = group.Length == 0 ? $"api/{version}" : $"apis/{group}/{version}";
        string document;
        try
        {
            document = await api.GetRawAsync(path, cancellationToken);
        }
        catch (KubeApiException ex) when (ex.IsNotFound)
        {
            return false;
        }
        using var doc = JsonDocument.Parse(document);
        return doc.RootElement.TryGetProperty("resources", out var resources)
            && resources.EnumerateArray().Any(r => r.GetProperty("name").GetString() == plural);
    }

    /// <summary>The first of <paramref name="versions"/> (most preferred first) that serves <paramref name="plural"/>, or null.</summary>
    public async Task<string?> FirstServedAsync(string group, string plural, IEnumerable<string> versions, CancellationToken cancellationToken)
    {
        foreach (var version in versions)
        {
            if (await IsServedAsync(group, version, plural, cancellationToken))
            {
                return version;
            }
        }
        return null;
    }
}
