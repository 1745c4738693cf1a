using MedOps.Operator.Configuration;

namespace MedOps.Operator.Tests.Configuration;

public sealed class CidrNotationTests
{
    [Theory]
    [InlineData("10.0.0.0/8")]
    [InlineData("192.168.1.0/24")]
    [InlineData("203.0.113.7/32")]
    [InlineData("0.0.0.0/0")]
    [InlineData("fd00::/8")]
    [InlineData("2001:db8::/32")]
    public void Accepts_canonical_cidrs(string text) => Assert.True(CidrNotation.IsValid(text));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("10.0.0.0")]
    [InlineData("10.0.0/8")]
    [InlineData("10.0.0.1/8")]
    [InlineData("10.0.0.0/33")]
    [InlineData("10.0.0.0/-1")]
    [InlineData("10.0.0.0/")]
    [InlineData("fd00::1/8")]
    [InlineData("fd00::/129")]
    [InlineData("intranet/8")]
    public void Refuses_anything_else(string? text) => Assert.False(CidrNotation.IsValid(text));
}
