using System.Buffers;
using System.Collections.ObjectModel;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace MedOps.Runtime.Audit;

/// <summary>
/// Links entries into a hash chain and reads and writes records as canonical JSON lines.
/// </summary>
/// <remarks>
/// The canonical form is one line of JSON with the properties in this order: <c>seq</c>,
/// <c>time</c> (UTC, ISO-8601 with milliseconds and <c>Z</c>), <c>actor</c>, <c>action</c>,
/// <c>object</c> (<c>kind</c>, <c>namespace</c>, <c>name</c>, <c>uid</c>, <c>generation</c>; the
/// null ones left out), <c>facts</c> (sorted by key, ordinal), <c>prev</c>, <c>hash</c>. Strings
/// are escaped only where JSON requires it. A record's hash is the lowercase hex SHA-256 of the
/// UTF-8 bytes of that line without its <c>hash</c> property.
/// </remarks>
public static class AuditChain
{
    /// <summary>The action of the record that accounts for pruned records.</summary>
    public const string PrunedAction = "AuditPruned";

    /// <summary>The fact of an <see cref="PrunedAction"/> record naming the last pruned seq.</summary>
    public const string ThroughSeqFact = "throughSeq";

    /// <summary>The fact of an <see cref="PrunedAction"/> record holding the last pruned record's hash.</summary>
    public const string LastHashFact = "lastHash";

    private const string TimeFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";

    private static readonly JsonWriterOptions WriterOptions = new()
    {
        // Canonical and readable: "+", "<" and non-ASCII stay as they are (the lines are never
        // embedded in HTML); quotes, backslashes and control characters are escaped.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        Indented = false,
    };

    private static readonly IReadOnlyDictionary<string, string> NoFacts =
        new ReadOnlyDictionary<string, string>(new SortedDictionary<string, string>(StringComparer.Ordinal));

    /// <summary>
    /// Links <paramref name="entry"/> after <paramref name="previous"/> (null starts a chain):
    /// seq is the previous seq plus 1 (or 1), prev the previous hash (or ""), the time is truncated
    /// to the millisecond in UTC, the facts are sorted, and the hash is computed.
    /// </summary>
    public static AuditRecord Link(AuditEntry entry, AuditRecord? previous)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentException.ThrowIfNullOrEmpty(entry.Actor, nameof(entry));
        ArgumentException.ThrowIfNullOrEmpty(entry.Action, nameof(entry));
        ArgumentNullException.ThrowIfNull(entry.Object, nameof(entry));
        ArgumentException.ThrowIfNullOrEmpty(entry.Object.Kind, nameof(entry));
        // An empty name is kept (a request may not name its object yet); a missing one is a bug.
        ArgumentNullException.ThrowIfNull(entry.Object.Name, nameof(entry));
        var ticks = entry.Time.UtcTicks;
        var time = new DateTimeOffset(ticks - (ticks % TimeSpan.TicksPerMillisecond), TimeSpan.Zero);
        var unsigned = new AuditRecord(
            (previous?.Seq ?? 0) + 1, time, entry.Actor, entry.Action, entry.Object, SortedFacts(entry.Facts), previous?.Hash ?? "", "");
        return unsigned with { Hash = HashOf(unsigned) };
    }

    /// <summary>Recomputes the hash of <paramref name="record"/> from its other fields, ignoring its <see cref="AuditRecord.Hash"/>.</summary>
    public static string HashOf(AuditRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var buffer = new ArrayBufferWriter<byte>(512);
        Write(buffer, record, includeHash: false, chain: null, head: null);
        return Convert.ToHexStringLower(SHA256.HashData(buffer.WrittenSpan));
    }

    /// <summary>The canonical JSON line of <paramref name="record"/>, its hash included (no newline).</summary>
    public static string ToJson(AuditRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var buffer = new ArrayBufferWriter<byte>(512);
        Write(buffer, record, includeHash: true, chain: null, head: null);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>
    /// The line an <see cref="AuditTrail"/> logs: <see cref="ToJson"/> followed by <c>chain</c>
    /// (the chain's name) and <c>head</c> (the hash of the chain's head after the append), so
    /// that a copy of the logs can tell a cut tail (<see cref="AuditVerifier.Verify"/>'s expected head).
    /// <see cref="FromJson"/> reads it too, ignoring the two.
    /// </summary>
    public static string ToLogJson(AuditRecord record, string chain, string head)
    {
        ArgumentNullException.ThrowIfNull(record);
        var buffer = new ArrayBufferWriter<byte>(512);
        Write(buffer, record, includeHash: true, chain, head);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>
    /// Reads one JSON line written by <see cref="ToJson"/>. The stored hash is kept as it is (the
    /// verifier recomputes it); unknown properties are ignored. Throws <see cref="FormatException"/>
    /// when the line is not a record.
    /// </summary>
    public static AuditRecord FromJson(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        try
        {
            using var document = JsonDocument.Parse(line);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw new FormatException("a record is a JSON object");
            }
            var obj = Required(root, "object", JsonValueKind.Object);
            var subject = new AuditObject(
                RequiredString(obj, "kind"),
                OptionalString(obj, "namespace"),
                RequiredString(obj, "name"),
                OptionalString(obj, "uid"),
                obj.TryGetProperty("generation", out var generation) && generation.ValueKind != JsonValueKind.Null ? generation.GetInt64() : null);
            return new AuditRecord(
                Required(root, "seq", JsonValueKind.Number).GetInt64(),
                ParseTime(RequiredString(root, "time")),
                RequiredString(root, "actor"),
                RequiredString(root, "action"),
                subject,
                ReadFacts(root),
                RequiredString(root, "prev"),
                RequiredString(root, "hash"));
        }
        catch (JsonException exception)
        {
            throw new FormatException($"invalid JSON: {exception.Message}", exception);
        }
        catch (InvalidOperationException exception)
        {
            throw new FormatException(exception.Message, exception);
        }
    }

    /// <summary>Formats a time the way records store it.</summary>
    public static string FormatTime(DateTimeOffset time) => time.UtcDateTime.ToString(TimeFormat, CultureInfo.InvariantCulture);

    private static void Write(IBufferWriter<byte> output, AuditRecord record, bool includeHash, string? chain, string? head)
    {
        using var json = new Utf8JsonWriter(output, WriterOptions);
        json.WriteStartObject();
        json.WriteNumber("seq", record.Seq);
        json.WriteString("time", FormatTime(record.Time));
        json.WriteString("actor", record.Actor);
        json.WriteString("action", record.Action);
        json.WriteStartObject("object");
        json.WriteString("kind", record.Object.Kind);
        if (record.Object.Namespace is not null)
        {
            json.WriteString("namespace", record.Object.Namespace);
        }
        json.WriteString("name", record.Object.Name);
        if (record.Object.Uid is not null)
        {
            json.WriteString("uid", record.Object.Uid);
        }
        if (record.Object.Generation is { } generation)
        {
            json.WriteNumber("generation", generation);
        }
        json.WriteEndObject();
        json.WriteStartObject("facts");
        foreach (var (key, value) in record.Facts.OrderBy(f => f.Key, StringComparer.Ordinal))
        {
            json.WriteString(key, value);
        }
        json.WriteEndObject();
        json.WriteString("prev", record.Prev);
        if (includeHash)
        {
            json.WriteString("hash", record.Hash);
        }
        if (chain is not null)
        {
            json.WriteString("chain", chain);
        }
        if (head is not null)
        {
            json.WriteString("head", head);
        }
        json.WriteEndObject();
    }

    private static IReadOnlyDictionary<string, string> SortedFacts(IReadOnlyDictionary<string, string>? facts)
    {
        if (facts is null || facts.Count == 0)
        {
            return NoFacts;
        }
        var sorted = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in facts)
        {
            ArgumentNullException.ThrowIfNull(value, $"facts[{key}]");
            sorted[key] = value;
        }
        return new ReadOnlyDictionary<string, string>(sorted);
    }

    private static IReadOnlyDictionary<string, string> ReadFacts(JsonElement root)
    {
        if (!root.TryGetProperty("facts", out var facts) || facts.ValueKind == JsonValueKind.Null)
        {
            return NoFacts;
        }
        if (facts.ValueKind != JsonValueKind.Object)
        {
            throw new FormatException("\"facts\" must be an object of strings");
        }
        var sorted = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var fact in facts.EnumerateObject())
        {
            if (fact.Value.ValueKind != JsonValueKind.String)
            {
                throw new FormatException($"fact \"{fact.Name}\" must be a string");
            }
            if (!sorted.TryAdd(fact.Name, fact.Value.GetString()!))
            {
                throw new FormatException($"fact \"{fact.Name}\" appears twice");
            }
        }
        return new ReadOnlyDictionary<string, string>(sorted);
    }

    private static DateTimeOffset ParseTime(string text) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var time)
            ? time
            : throw new FormatException($"\"time\" is not a time: {text}");

    private static JsonElement Required(JsonElement obj, string name, JsonValueKind kind) =>
        obj.TryGetProperty(name, out var value) && value.ValueKind == kind
            ? value
            : throw new FormatException($"\"{name}\" is missing or not a{(kind == JsonValueKind.Object ? "n object" : kind == JsonValueKind.Number ? " number" : " string")}");

    private static string RequiredString(JsonElement obj, string name) => Required(obj, name, JsonValueKind.String).GetString()!;

    private static string? OptionalString(JsonElement obj, string name) =>
        !obj.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null ? null
        : value.ValueKind == JsonValueKind.String ? value.GetString()
        : throw new FormatException($"\"{name}\" must be a string");
}
