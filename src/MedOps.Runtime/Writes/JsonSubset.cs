using System.Globalization;
using System.Text.Json;
using k8s.Models;

namespace MedOps.Runtime.Writes;

/// <summary>
/// "Does the live object already say everything the desired one says?" Fields the server or other
/// controllers added (defaults, status, their own labels) don't count; lists must match element by
/// element; quantities compare by value ("1000m" equals "1"). Used to skip applies that would
/// change nothing, so a steady-state reconcile makes no write.
/// </summary>
public static class JsonSubset
{
    /// <summary>True when every field of <paramref name="desired"/> has the same value in <paramref name="actual"/>.</summary>
    public static bool IsSubset(JsonElement desired, JsonElement actual)
    {
        switch (desired.ValueKind)
        {
            case JsonValueKind.Object:
                if (actual.ValueKind != JsonValueKind.Object)
                {
                    return false;
                }
                foreach (var property in desired.EnumerateObject())
                {
                    if (property.Value.ValueKind == JsonValueKind.Null)
                    {
                        continue;
                    }
                    if (!actual.TryGetProperty(property.Name, out var other) || !IsSubset(property.Value, other))
                    {
                        return false;
                    }
                }
                return true;
            case JsonValueKind.Array:
                if (actual.ValueKind != JsonValueKind.Array || actual.GetArrayLength() != desired.GetArrayLength())
                {
                    return false;
                }
                using (var a = desired.EnumerateArray().GetEnumerator())
                using (var b = actual.EnumerateArray().GetEnumerator())
                {
                    while (a.MoveNext() && b.MoveNext())
                    {
                        if (!IsSubset(a.Current, b.Current))
                        {
                            return false;
                        }
                    }
                }
                return true;
            case JsonValueKind.String when actual.ValueKind == JsonValueKind.String:
                return desired.GetString() == actual.GetString() || SameQuantity(desired.GetString()!, actual.GetString()!);
            case JsonValueKind.Number when actual.ValueKind == JsonValueKind.String:
                return SameQuantity(desired.GetRawText(), actual.GetString()!);
            case JsonValueKind.String when actual.ValueKind == JsonValueKind.Number:
                return SameQuantity(desired.GetString()!, actual.GetRawText());
            default:
                return desired.ValueKind == actual.ValueKind && desired.GetRawText() == actual.GetRawText();
        }
    }

    private static bool SameQuantity(string a, string b)
    {
        if (a.Length == 0 || b.Length == 0 || !(char.IsDigit(a[0]) || a[0] is '.' or '-' or '+') || !(char.IsDigit(b[0]) || b[0] is '.' or '-' or '+'))
        {
            return false;
        }
        try
        {
            return new ResourceQuantity(a).ToDecimal() == new ResourceQuantity(b).ToDecimal();
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException or OverflowException)
        {
            return double.TryParse(a, NumberStyles.Float, CultureInfo.InvariantCulture, out var x)
                && double.TryParse(b, NumberStyles.Float, CultureInfo.InvariantCulture, out var y) && x == y;
        }
    }
}
