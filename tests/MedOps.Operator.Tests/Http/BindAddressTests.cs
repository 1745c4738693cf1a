using System.Net;
using MedOps.Operator.Http;

namespace MedOps.Operator.Tests.Http;

public sealed class BindAddressTests
{
    [Theory]
    [InlineData(":8080", null, false, 8080)]
    [InlineData("127.0.0.1:8080", "127.0.0.1", false, 8080)]
    [InlineData("0.0.0.0:9443", "0.0.0.0", false, 9443)]
    [InlineData("[::1]:8081", "::1", false, 8081)]
    [InlineData("localhost:8081", null, true, 8081)]
    public void Parses_controller_runtime_addresses(string text, string? host, bool localhost, int port)
    {
        Assert.True(BindAddress.TryParse(text, out var address, out var error), error);
        Assert.Equal(new BindAddress(host is null ? null : IPAddress.Parse(host), localhost, port), address);
        Assert.Equal(text, address!.ToString());
    }

    [Theory]
    [InlineData("8080")]
    [InlineData(":0")]
    [InlineData(":65536")]
    [InlineData(":http")]
    [InlineData("example.com:80")]
    [InlineData("::1:8080")]
    [InlineData("127.0.0.1:")]
    public void Refuses_addresses_it_cannot_bind_without_guessing(string text)
    {
        Assert.False(BindAddress.TryParse(text, out var address, out var error));
        Assert.Null(address);
        Assert.False(string.IsNullOrEmpty(error));
    }
}
