using System.Text.Json;

namespace MedOps.Testing;

/// <summary>Reads the apiserver's audit log (JSON lines, Metadata level) written by the local cluster.</summary>
public static class AuditLog
{
    /// <summary>One completed request.</summary>
    public sealed record Entry(string User, string Verb, string Resource, string? Name, DateTime Received, int Code, string UserAgent, string? Namespace = null, string? Subresource = null);

    /// <summary>Completed requests of <paramref name="user"/> received in [from, to).</summary>
    public static IReadOnlyList<Entry> Requests(string path, string user, DateTime from, DateTime to)
    {
        var entries = new List<Entry>();
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        while (reader.ReadLine() is { } line)
        {
            if (!line.Contains(user, StringComparison.Ordinal))
            {
                continue;
            }
            using var doc = JsonDocument.Parse(line);
            var root = doc.RootElement;
            if (root.GetProperty("stage").GetString() is not ("ResponseComplete" or "ResponseStarted")
                || root.GetProperty("user").GetProperty("username").GetString() != user)
            {
                continue;
            }
            var received = root.GetProperty("requestReceivedTimestamp").GetDateTime().ToUniversalTime();
            if (received < from || received >= to)
            {
                continue;
            }
            var objectRef = root.TryGetProperty("objectRef", out var o) ? o : default;
            entries.Add(new Entry(
                user,
                root.GetProperty("verb").GetString() ?? "",
                objectRef.ValueKind == JsonValueKind.Object && objectRef.TryGetProperty("resource", out var r) ? r.GetString() ?? "" : "",
                objectRef.ValueKind == JsonValueKind.Object && objectRef.TryGetProperty("name", out var n) ? n.GetString() : null,
                received,
                root.TryGetProperty("responseStatus", out var s) && s.TryGetProperty("code", out var c) ? c.GetInt32() : 0,
                root.TryGetProperty("userAgent", out var ua) ? ua.GetString() ?? "" : "",
                objectRef.ValueKind == JsonValueKind.Object && objectRef.TryGetProperty("namespace", out var ns) ? ns.GetString() : null,
                objectRef.ValueKind == JsonValueKind.Object && objectRef.TryGetProperty("subresource", out var sub) ? sub.GetString() : null));
        }
        return entries;
    }
}
