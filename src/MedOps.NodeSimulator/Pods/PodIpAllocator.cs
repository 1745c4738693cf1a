using System.Globalization;

namespace MedOps.NodeSimulator.Pods;

/// <summary>
/// Hands out unique pod IPs from 10.244.0.0/14 (Flannel's usual pod network), one per pod UID,
/// until the pod is deleted. IPs already present on pods (from an earlier simulator run) are
/// reserved when the pods are seen, so a restart never hands out an address twice.
/// </summary>
internal sealed class PodIpAllocator
{
    private const uint First = (10u << 24) | (244u << 16);
    private const uint Size = 4u << 16;

    private readonly Lock gate = new();
    private readonly Dictionary<string, uint> byUid = new(StringComparer.Ordinal);
    private readonly HashSet<uint> inUse = [];
    private uint cursor;

    public string GetOrAllocate(string uid)
    {
        lock (gate)
        {
            if (byUid.TryGetValue(uid, out var existing))
            {
                return Format(existing);
            }

            for (uint tried = 0; tried < Size; tried++)
            {
                var candidate = First + ((cursor + tried) % Size);
                var lastOctet = candidate & 0xFF;
                if (lastOctet is 0 or 255 || inUse.Contains(candidate))
                {
                    continue;
                }

                cursor = (candidate - First + 1) % Size;
                inUse.Add(candidate);
                byUid[uid] = candidate;
                return Format(candidate);
            }

            throw new InvalidOperationException("the simulated pod network 10.244.0.0/14 is full");
        }
    }

    /// <summary>Records an address a pod already has.</summary>
    public void Reserve(string uid, string ip)
    {
        if (Parse(ip) is not { } address)
        {
            return;
        }

        lock (gate)
        {
            if (byUid.TryGetValue(uid, out var previous) && previous != address)
            {
                inUse.Remove(previous);
            }

            byUid[uid] = address;
            inUse.Add(address);
        }
    }

    public void Release(string uid)
    {
        lock (gate)
        {
            if (byUid.Remove(uid, out var address))
            {
                inUse.Remove(address);
            }
        }
    }

    private static string Format(uint address) => string.Join('.',
        (address >> 24).ToString(CultureInfo.InvariantCulture),
        ((address >> 16) & 0xFF).ToString(CultureInfo.InvariantCulture),
        ((address >> 8) & 0xFF).ToString(CultureInfo.InvariantCulture),
        (address & 0xFF).ToString(CultureInfo.InvariantCulture));

    private static uint? Parse(string ip)
    {
        var parts = ip.Split('.');
        if (parts.Length != 4)
        {
            return null;
        }

        uint address = 0;
        foreach (var part in parts)
        {
            if (!byte.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var octet))
            {
                return null;
            }

            address = (address << 8) | octet;
        }

        return address;
    }
}
