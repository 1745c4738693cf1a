using System.Globalization;
using System.Net;

namespace MedOps.Operator.Http;

/// <summary>
/// A listen address in controller-runtime's flag syntax: <c>:8080</c> (all interfaces),
/// <c>127.0.0.1:8080</c>, <c>[::1]:8080</c> or <c>localhost:8080</c>.
/// </summary>
/// <param name="Host">The IP address to bind, or null for all interfaces.</param>
/// <param name="IsLocalhost">True for <c>localhost</c>, which binds both loopback addresses.</param>
/// <param name="Port">The TCP port, 1–65535.</param>
public sealed record BindAddress(IPAddress? Host, bool IsLocalhost, int Port)
{
    /// <summary>The value that turns a listener off, as in controller-runtime.</summary>
    public const string Disabled = "0";

    /// <summary>
    /// Parses <paramref name="text"/>. Host names other than <c>localhost</c> are refused: binding
    /// must not depend on DNS at start-up.
    /// </summary>
    public static bool TryParse(string text, out BindAddress? address, out string? error)
    {
        address = null;
        error = null;
        var colon = text.LastIndexOf(':');
        if (colon < 0)
        {
            error = "expected [host]:port, for example :8080 or 127.0.0.1:8080";
            return false;
        }

        var hostText = text[..colon];
        var portText = text[(colon + 1)..];
        if (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
        {
            error = $"port \"{portText}\" is not a number between 1 and 65535";
            return false;
        }

        if (hostText.Length == 0)
        {
            address = new BindAddress(null, false, port);
            return true;
        }

        if (string.Equals(hostText, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            address = new BindAddress(null, true, port);
            return true;
        }

        var bracketed = hostText.StartsWith('[') && hostText.EndsWith(']');
        var ipText = bracketed ? hostText[1..^1] : hostText;
        if (!IPAddress.TryParse(ipText, out var ip) || (ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 && !bracketed))
        {
            error = $"host \"{hostText}\" is not an IP address (write IPv6 addresses in brackets, as [::1]:8080)";
            return false;
        }

        address = new BindAddress(ip, false, port);
        return true;
    }

    /// <inheritdoc />
    public override string ToString() => (Host, IsLocalhost) switch
    {
        (_, true) => $"localhost:{Port}",
        (null, _) => $":{Port}",
        ({ AddressFamily: System.Net.Sockets.AddressFamily.InterNetworkV6 } ip, _) => $"[{ip}]:{Port}",
        (var ip, _) => $"{ip}:{Port}",
    };
}
