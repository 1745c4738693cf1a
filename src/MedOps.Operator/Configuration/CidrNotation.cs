using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace MedOps.Operator.Configuration;

/// <summary>
/// Strict CIDR validation for guardrails: a full address (four octets for IPv4, as Go's
/// <c>net.ParseCIDR</c> requires), a prefix length in range, and no host bits set, because
/// <c>10.0.0.1/8</c> in a PHI egress list is almost always a typo for a single host.
/// </summary>
internal static class CidrNotation
{
    /// <summary>True when <paramref name="text"/> is a canonical CIDR such as <c>10.0.0.0/8</c> or <c>fd00::/8</c>.</summary>
    public static bool IsValid(string? text)
    {
        var slash = text?.IndexOf('/', StringComparison.Ordinal) ?? -1;
        if (text is null || slash < 0)
        {
            return false;
        }

        var addressText = text[..slash];
        if (!IPAddress.TryParse(addressText, out var address)
            || !int.TryParse(text[(slash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var prefix))
        {
            return false;
        }

        var isIpv4 = address.AddressFamily == AddressFamily.InterNetwork;
        if ((isIpv4 && addressText.Count(c => c == '.') != 3) || prefix > (isIpv4 ? 32 : 128))
        {
            return false;
        }

        var bytes = address.GetAddressBytes();
        for (var bit = prefix; bit < bytes.Length * 8; bit++)
        {
            if ((bytes[bit / 8] & (0x80 >> (bit % 8))) != 0)
            {
                return false;
            }
        }

        return true;
    }
}
