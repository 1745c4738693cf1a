using System.Globalization;
using System.Text;

namespace MedOps.Runtime.Audit;

/// <summary>Reads records as a person would: the records of one object, as a table.</summary>
public static class AuditHistory
{
    /// <summary>
    /// The records about the object <paramref name="kind"/>/<paramref name="name"/>, in stored
    /// order. The kind is matched case-insensitively, as written or as its lower-case plural
    /// (<c>MedicalModel</c>, <c>medicalmodel</c>, <c>medicalmodels</c>).
    /// </summary>
    public static IEnumerable<AuditRecord> Of(IEnumerable<AuditRecord> records, string kind, string name)
    {
        ArgumentNullException.ThrowIfNull(records);
        ArgumentException.ThrowIfNullOrEmpty(kind);
        ArgumentException.ThrowIfNullOrEmpty(name);
        return records.Where(r => r.Object.Name == name && KindMatches(r.Object.Kind, kind));
    }

    /// <summary>
    /// A table with one line per record: time (UTC), actor, action, facts (<c>key=value</c>,
    /// quoted when they hold spaces) and seq. "no records" when there are none.
    /// </summary>
    public static string Format(IEnumerable<AuditRecord> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        var rows = records.Select(r => new[]
        {
            r.Time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture),
            r.Actor,
            r.Action,
            string.Join(' ', r.Facts.Select(f => $"{f.Key}={Quote(f.Value)}")),
            r.Seq.ToString(CultureInfo.InvariantCulture),
        }).ToList();
        if (rows.Count == 0)
        {
            return "no records\n";
        }
        string[] header = ["TIME", "ACTOR", "ACTION", "FACTS", "SEQ"];
        var widths = header.Select((h, i) => Math.Max(h.Length, rows.Max(r => r[i].Length))).ToArray();
        var text = new StringBuilder();
        foreach (var row in rows.Prepend(header))
        {
            for (var i = 0; i < row.Length; i++)
            {
                text.Append(i == row.Length - 1 ? row[i] : row[i].PadRight(widths[i] + 2));
            }
            text.Append('\n');
        }
        return text.ToString();
    }

    private static bool KindMatches(string recorded, string asked) =>
        string.Equals(recorded, asked, StringComparison.OrdinalIgnoreCase)
        || string.Equals(recorded + "s", asked, StringComparison.OrdinalIgnoreCase);

    private static string Quote(string value) =>
        value.Length == 0 || value.Any(c => char.IsWhiteSpace(c) || c is '"' or '=')
            ? "\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\""
            : value;
}
